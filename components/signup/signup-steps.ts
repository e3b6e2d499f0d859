/** The provisioning job's steps shown to the person waiting for their site (words: create.steps in the catalogues). */
export const SIGNUP_STEPS = ['reserve', 'folders', 'database', 'config', 'webmaster', 'activate'] as const;

/** Index of the step running now, -1 before the first one starts. */
export function currentStepIndex(step: string | null): number {
  return step ? (SIGNUP_STEPS as readonly string[]).indexOf(step) : -1;
}
