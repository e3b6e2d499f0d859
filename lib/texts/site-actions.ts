/** The refusal of an action whose host was not typed again exactly (the forms' words are in messages/*.json, `site.confirm`). */
export const siteActionsText = {
  mismatch: (host: string) => `Type the site's host (${host}) exactly to confirm.`,
} as const;
