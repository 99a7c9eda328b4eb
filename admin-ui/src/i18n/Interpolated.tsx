/**
 * A translated text with elements in its placeholders, e.g. a region's name marked as user content inside
 * "Policy of %{name}": polyglot interpolates strings only, so each placeholder gets a marker that is then
 * replaced by its element, wherever the language puts it.
 */
import { Fragment, type ReactNode } from 'react';
import { useTranslate } from 'react-admin';

const MARK = '\u0001';

export function Interpolated({
  k,
  values,
  options,
}: {
  k: string;
  values: Record<string, ReactNode> /** Plain options, e.g. smart_count. */;
  options?: Record<string, unknown>;
}) {
  const translate = useTranslate();
  const names = Object.keys(values);
  const text = translate(k, { ...options, ...Object.fromEntries(names.map((n, i) => [n, `${MARK}${i}${MARK}`])) });
  const parts = text.split(MARK);
  // Odd parts are placeholder indexes.
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <Fragment key={i}>{values[names[Number(part)]]}</Fragment> : part ? <Fragment key={i}>{part}</Fragment> : null))}
    </>
  );
}
