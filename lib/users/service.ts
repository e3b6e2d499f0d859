import { Prisma } from '@prisma/client';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { createUserSchema, emailSchema, passwordSchema, type CreateUserInput } from '../domain/user';
import { generatePassword, hashPassword } from '../auth/password';
import { MutuError } from '../domain/errors';

export class UserError extends MutuError {}

/** Creates a user; when no password is given, a strong one is generated and returned once. */
export async function createUser(actor: Actor, input: CreateUserInput) {
  const data = createUserSchema.parse(input);
  const password = data.password ?? generatePassword();
  try {
    const user = await db.user.create({
      data: { email: data.email, name: data.name || null, role: data.role, passwordHash: await hashPassword(password) },
    });
    await recordAudit(actor, { action: 'user.create', details: { email: user.email, role: user.role } });
    return { user, generatedPassword: data.password ? undefined : password };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw new UserError(`a user with the e-mail ${data.email} already exists`);
    }
    throw err;
  }
}

async function findByEmail(email: string) {
  const user = await db.user.findUnique({ where: { email: emailSchema.parse(email) } });
  if (!user) throw new UserError(`no user has the e-mail ${email}`);
  return user;
}

/** Sets a new password (given, or generated and returned once). */
export async function setPassword(actor: Actor, email: string, newPassword?: string) {
  const user = await findByEmail(email);
  const password = newPassword ? passwordSchema.parse(newPassword) : generatePassword();
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  await recordAudit(actor, { action: 'user.passwd', details: { email: user.email } });
  return { user, generatedPassword: newPassword ? undefined : password };
}

/** Deletes a user. The last admin cannot be deleted: nobody could sign in to the dashboard. */
export async function deleteUser(actor: Actor, email: string) {
  const user = await findByEmail(email);
  if (user.role === 'admin' && (await db.user.count({ where: { role: 'admin' } })) <= 1) {
    throw new UserError(`${user.email} is the last admin; create another admin first`);
  }
  await db.user.delete({ where: { id: user.id } });
  await recordAudit(actor, { action: 'user.delete', details: { email: user.email, role: user.role } });
  return user;
}

export async function listUsers() {
  const users = await db.user.findMany({
    orderBy: { email: 'asc' },
    select: { id: true, email: true, name: true, role: true, createdAt: true, lastLoginAt: true, _count: { select: { sites: true } } },
  });
  return users.map(({ _count, ...u }) => ({ ...u, sites: _count.sites }));
}
