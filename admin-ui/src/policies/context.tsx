/** The policy editor's shared state: the region, the layers above, the draft, and the server's refusals. */
import { TextField, type TextFieldProps } from '@mui/material';
import { createContext, useContext } from 'react';
import type { PolicyOverrides, RegionPolicy } from '../../../domain/policy';
import type { Layer, Path } from './paths';

export interface EditorContextValue {
  regionCode: string;
  ancestors: Layer[];
  draft: PolicyOverrides;
  setDraft: (next: PolicyOverrides) => void;
  /** The policy with the draft applied. */
  effective: RegionPolicy;
  editable: boolean;
  regionName: (code: string) => string;
  /** The server's refusals of the last preview or apply, by path in the overrides ("deadlines.verification.default.day"). */
  errors: Record<string, string>;
}

export const EditorContext = createContext<EditorContextValue | null>(null);
export const useEditor = () => useContext(EditorContext)!;

export const pathId = (path: Path) => path.join('.');

/** The last segments of the paths whose inputs show their own errors; any other error shows under its part. */
export const INPUT_KEYS = new Set([
  'day',
  'monthOffset',
  'cutoffDay',
  'days',
  'months',
  'yearOffset',
  'month',
  'fromMonth',
  'toMonth',
  'afterDays',
  'everyMonths',
  'forMonths',
  'minMu',
  'share',
  'legal',
  'illegal',
  'other',
]);

/** The server's error for the input at a path, if any. */
export function useFieldError(path?: Path): string | undefined {
  const { errors } = useEditor();
  return path ? errors[pathId(path)] : undefined;
}

/** A TextField that shows the server's error for its path. */
export function PathTextField({ path, ...props }: TextFieldProps & { path?: Path }) {
  const error = useFieldError(path);
  return <TextField {...props} error={Boolean(error) || props.error} helperText={error ?? props.helperText} />;
}

/** The overrides' errors of a refusal, by path in the overrides ("overrides.deadlines…" → "deadlines…"). */
export const overrideErrors = (errors: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(errors)
      .filter(([p]) => p.startsWith('overrides.'))
      .map(([p, m]) => [p.slice('overrides.'.length), m]),
  );
