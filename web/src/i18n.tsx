/**
 * UI language: zh-CN by default, English on request. The choice is kept in localStorage and
 * mirrored on <html lang>. Texts from the API come bilingual ({'zh-CN', en}); `tx` picks one.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { strings } from './strings.ts';

export type Lang = 'zh-CN' | 'en';
export interface Text {
  'zh-CN': string;
  en: string;
}
export type StringKey = keyof typeof strings;

const STORAGE_KEY = 'onestop.lang';
let current: Lang = readLang();

function readLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** The language of the current page, for code outside React (the API client). */
export const currentLang = (): Lang => current;

export const isStringKey = (key: string): key is StringKey => Object.hasOwn(strings, key);

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function translate(lang: Lang, key: StringKey, params?: Record<string, string | number>): string {
  const [zh, en] = strings[key];
  return format(lang === 'en' ? en : zh, params);
}

export function pick(lang: Lang, text: Text | string | undefined | null): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en : text['zh-CN']) ?? text['zh-CN'] ?? '';
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: StringKey, params?: Record<string, string | number>): string;
  tx(text: Text | string | undefined | null): string;
  /** A date-time in China time, e.g. 2026-11-29 14:05 */
  dt(iso: string | undefined | null): string;
  /** A date in China time */
  d(iso: string | undefined | null): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(current);
  const setLang = useCallback((next: Lang) => {
    current = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage may be unavailable (private mode): the choice then lasts for this page only
    }
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const dtf = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    const df = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const safe = (f: Intl.DateTimeFormat, iso: string | undefined | null) => {
      if (!iso) return '';
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : f.format(date);
    };
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      tx: (text) => pick(lang, text),
      dt: (iso) => safe(dtf, iso),
      d: (iso) => safe(df, iso),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
