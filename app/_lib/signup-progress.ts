/** What the public progress route tells a visitor about their site's creation: no internal detail. */
export interface SignupProgress {
  status: string;
  step: string | null;
  progress: number;
  done: boolean;
  /** set when the creation failed; always the same generic words */
  error?: string;
}

/** What the sign-up route answers when it accepted a request. */
export interface SignupAccepted {
  host: string;
  jobId: string;
  /** lets this visitor, and only them, read the progress */
  token: string;
}

export const SIGNUP_TOKEN_HEADER = 'x-signup-token';

export const SIGNUP_FAILED = 'Your site could not be created; nothing was kept. Try again or contact the admins.';
