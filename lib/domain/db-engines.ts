import type { DbEngine } from '@prisma/client';
import { allOf } from './enums';

/** The database engines a site's database can be on, as the list's filter and the forms offer them. */
export const DB_ENGINES = allOf<DbEngine>()(['sqlite', 'mysql', 'postgresql']);
