import type en from './messages/en.json';
import type { Locale } from './lib/domain/locale';

// Every message key used with next-intl is checked by the compiler against the English catalogue
// (and the parity test holds French to the same keys).
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}
