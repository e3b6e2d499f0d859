/** The words around a new activation code. Kept together for translation catalogues. */
export const codesText = {
  title: (label?: string) => (label ? `Activation code \u201c${label}\u201d: shown only this once` : 'Activation code: shown only this once'),
  code: 'Code',
  page: 'Self-service page',
  copy: 'Copy',
  copied: 'Copied',
  copyBoth: 'Copy both, to hand over',
  handOver: (url: string, code: string) => `Create your site at ${url} with the activation code ${code}`,
  keep: 'Copy it now and hand it over through a safe channel, with the address of the self-service page. Mutu stores only a hash: it cannot show this code again (revoke it and create another if it is lost).',
  dismiss: 'I have copied it',
} as const;
