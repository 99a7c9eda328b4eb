/**
 * What users and the records wrote (names, numbers, notes, reasons), as opposed to the UI's own texts:
 * marked with data-user-content, so that a check for untranslated text in an English UI can leave it out.
 */
import type { ReactNode } from 'react';

export function UserText({ children, testId }: { children: ReactNode; testId?: string }) {
  if (children === undefined || children === null || children === '') return null;
  return (
    <span data-user-content="" data-testid={testId}>
      {children}
    </span>
  );
}
