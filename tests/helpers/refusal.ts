/** The error a call throws: a test of refusals reads its message and words. */
export function refusalOf(call: () => unknown): Error {
  try {
    call();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}
