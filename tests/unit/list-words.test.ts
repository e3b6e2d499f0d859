import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { NextIntlClientProvider } from 'next-intl';
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import fr from '@/messages/fr.json';
import { oncePerValue, template } from '@/lib/i18n/message-template';
import { useListTranslators, useListWords } from '@/components/sites/list-words';

// Values a message must put in as they are: replacement patterns, ICU's quotes and braces, markup, other marks.
const ODD = ['https://a.example/', "l'été {x} $& $1 <b>", '\ue000\ue001', ''];

describe('template', () => {
  it('fills a message as formatting it with the values would, wherever and however often they appear', () => {
    const say = (a: string, b: string) => `«${b}» then ${a}, ${b}.`;
    const filled = template(say);
    for (const a of ODD) for (const b of ODD) expect(filled(a, b)).toBe(say(a, b));
    expect(template(() => 'no values')()).toBe('no values');
  });

  it('formats the message once', () => {
    let calls = 0;
    const filled = template((x: string) => (calls++, `<${x}>`));
    expect([filled('a'), filled('b')]).toEqual(['<a>', '<b>']);
    expect(calls).toBe(1);
  });
});

it('oncePerValue says each value once', () => {
  let calls = 0;
  const say = oncePerValue((v: string) => (calls++, v.toUpperCase()));
  expect([say('a'), say('b'), say('a')]).toEqual(['A', 'B', 'A']);
  expect(calls).toBe(2);
});

describe("the sites list's words", () => {
  for (const [locale, messages] of [['en', en], ['fr', fr]] as const) {
    it(`say what next-intl says, in ${locale}`, () => {
      const said: [string, string][] = [];
      function Probe() {
        const w = useListWords();
        // next-intl's own translators, each message formatted through ICU: what the words must equal.
        const { t, disk, health, status, tls, ui } = useListTranslators();
        for (const v of ODD) {
          said.push([w.visitTitle(v), t('visitTitle', { url: v })], [w.adminTitle(v), t('adminTitle', { url: v })]);
          said.push([w.tlsFailed(v), t('tlsFailed', { error: v })], [w.until(v), t('until', { date: v })]);
          said.push([w.measured(v, 'at'), disk('measured', { when: v, at: 'at' })], [w.checked('when', v), health('checked', { when: 'when', at: v })]);
          said.push([w.selectSite(v), ui('selectSite', { host: v })]);
          for (const shared of [true, false]) said.push([w.dbOn(v, 'srv', shared), t('dbOn', { name: v, server: 'srv', shared: shared ? 'yes' : 'no' })]);
        }
        for (const acme of [true, false]) said.push([w.tlsSource(acme), t('tlsSource', { acme: acme ? 'yes' : 'no' })]);
        for (const s of ['active', 'disabled', 'failed', 'unheard-of']) said.push([w.status(s), status('label', { status: s })]);
        for (const s of ['none', 'ok', 'expiring', 'expired', 'failed'] as const) said.push([w.certificate(s), tls('state', { state: s })]);
        for (const l of ['up', 'needsInstall', 'error', 'down'] as const) said.push([w.health(l), health(l)]);
        said.push([w.never, t('never')], [w.notMeasured, disk('notMeasured')], [w.notChecked, health('notChecked')]);
        return null;
      }
      const Provider = NextIntlClientProvider as unknown as (props: { locale: string; messages: object; timeZone: string; children?: React.ReactNode }) => React.ReactNode;
      renderToStaticMarkup(createElement(Provider, { locale, messages, timeZone: 'UTC' }, createElement(Probe)));
      expect(said.length).toBe(54);
      for (const [fast, slow] of said) expect(fast).toBe(slow);
    });
  }
});
