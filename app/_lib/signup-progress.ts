/** What the public progress route tells a visitor about their site's creation: no internal detail. */
export interface SignupProgress {
  status: string;
  step: string | null;
  progress: number;
  done: boolean;
  /** set when the creation failed; always the same generic words */
  error?: string;
  /** set once the site is made: its ways in, for the success page */
  site?: ReadySite;
}

/** A made site's ways in, as the visitor's success page shows them. */
export interface ReadySite {
  url: string;
  adminUrl: string;
  /** SPIP, Moodle, Generic PHP */
  application: string;
  /** the platform installed the application with the visitor as its administrator; else its installer is theirs */
  installed: boolean;
}

/** What the sign-up route answers when it accepted a request. */
export interface SignupAccepted {
  host: string;
  jobId: string;
  /** lets this visitor, and only them, read the progress */
  token: string;
}

export const SIGNUP_TOKEN_HEADER = 'x-signup-token';
