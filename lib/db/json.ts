import type { Prisma } from '@prisma/client';

/** A Json column Mutu fills with objects only, read as one (anything else, which Mutu never writes, as {}). */
export const jsonObject = (value: Prisma.JsonValue): Prisma.JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
