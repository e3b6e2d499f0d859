/** The provisioning job's steps, in words for the person waiting for their site. */
export const SIGNUP_STEPS: { step: string; label: string }[] = [
  { step: 'reserve', label: 'Reserving your address' },
  { step: 'folders', label: 'Making the folders' },
  { step: 'database', label: 'Creating the database' },
  { step: 'config', label: 'Writing the configuration' },
  { step: 'webmaster', label: 'Setting up your account' },
  { step: 'activate', label: 'Switching your site on' },
];

/** Index of the step running now, -1 before the first one starts. */
export function currentStepIndex(step: string | null): number {
  return step ? SIGNUP_STEPS.findIndex((s) => s.step === step) : -1;
}
