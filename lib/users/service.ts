import { Prisma } from '@prisma/client';
import { translatedError } from '../i18n/errors';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { createUserSchema, emailSchema, passwordSchema, roleSchema, type CreateUserInput } from '../domain/user';
import { loginAccountPrefix } from '../domain/limits';
import { generatePassword, hashPassword } from '../auth/password';
import { clearAttemptsStartingWith } from '../auth/rate-limit';
import { END_SESSIONS } from '../auth/sessions';
import { MutuError } from '../domain/errors';
import { forgetPasswordLinks } from './password-links';

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
      throw translatedError((m) => new UserError(m), 'serviceErrors.userExists', { email: data.email });
    }
    throw err;
  }
}

async function findByEmail(email: string) {
  const user = await db.user.findUnique({ where: { email: emailSchema.parse(email) } });
  if (!user) throw translatedError((m) => new UserError(m), 'serviceErrors.userUnknown', { email });
  return user;
}

/**
 * Sets a new password (given, or generated and returned once). Every session of the user ends
 * (whoever knew the old password may hold one), and the account's lockouts are forgotten, so
 * its owner can sign in at once from anywhere.
 */
export async function setPassword(actor: Actor, email: string, newPassword?: string) {
  const user = await findByEmail(email);
  const password = newPassword ? passwordSchema.parse(newPassword) : generatePassword();
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password), ...END_SESSIONS } });
  await clearAttemptsStartingWith(loginAccountPrefix(user.email));
  await forgetPasswordLinks(user.id);
  await recordAudit(actor, { action: 'user.passwd', details: { email: user.email } });
  return { user, generatedPassword: newPassword ? undefined : password };
}

type Tx = Prisma.TransactionClient;

/**
 * Refuses to take away the last admin: nobody could sign in to the dashboard. Runs inside the
 * transaction that removes the admin (registry transactions take the write lock at BEGIN), so
 * two admins demoting or deleting each other at once cannot both succeed.
 */
async function keepAnAdmin(tx: Tx, userId: string) {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.role === 'admin' && (await tx.user.count({ where: { role: 'admin' } })) <= 1) {
    throw translatedError((m) => new UserError(m), 'serviceErrors.lastAdmin', { email: user.email });
  }
}

/** Deletes a user. The last admin cannot be deleted. */
export async function deleteUser(actor: Actor, email: string) {
  const user = await findByEmail(email);
  await db.$transaction(async (tx) => {
    await keepAnAdmin(tx, user.id);
    await tx.user.delete({ where: { id: user.id } });
  });
  await recordAudit(actor, { action: 'user.delete', details: { email: user.email, role: user.role } });
  return user;
}

/**
 * Gives a user another role; the last admin cannot be demoted. Every session of the user ends:
 * they sign in again with the new role.
 */
export async function setRole(actor: Actor, email: string, newRole: string) {
  const role = roleSchema.parse(newRole);
  const user = await findByEmail(email);
  if (user.role === role) return { user, changed: false };
  const updated = await db.$transaction(async (tx) => {
    await keepAnAdmin(tx, user.id);
    return tx.user.update({ where: { id: user.id }, data: { role, ...END_SESSIONS } });
  });
  await recordAudit(actor, { action: 'user.role', details: { email: user.email, from: user.role, to: role } });
  return { user: updated, changed: true };
}

/** Every user with the hosts they look after (`sites`: how many). */
export async function listUsers() {
  const users = await db.user.findMany({
    orderBy: { email: 'asc' },
    select: { id: true, email: true, name: true, role: true, createdAt: true, lastLoginAt: true, sites: { select: { site: { select: { host: true } } }, orderBy: { site: { host: 'asc' } } } },
  });
  return users.map(({ sites, ...u }) => ({ ...u, sites: sites.length, siteHosts: sites.map((s) => s.site.host) }));
}
