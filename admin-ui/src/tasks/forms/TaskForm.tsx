/**
 * Completing a task: the form of its type, submitted to POST /api/tasks/:id/complete with an
 * Idempotency-Key. The server's 422 field errors land on the fields (and are listed above the form, so
 * that an error on a field not shown is not lost); other refusals (403, 409) are notified.
 */
import SendIcon from '@mui/icons-material/Send';
import { Alert, Box } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Form, SaveButton, useDataProvider, useLocaleState, useNotify, useRedirect, useTranslate } from 'react-admin';
import type { TaskType } from '../../../../domain/types';
import type { AppDataProvider } from '../../dataProvider';
import type { TaskRecord } from '../types';
import { TASK_FORMS } from './index';
import { SubmittedNotice, type CompletionAnswer } from './SubmittedNotice';
import { buildPayload, initialValues, type TaskFormValues } from './payloads';
import { idempotencyKeys, localizedErrors, rejectionOf, type ServerRejection } from './submission';

interface PatchLike {
  code: string;
  areaMu?: number | null;
  farmlandMu?: number | null;
  determination?: unknown;
}

/** Error paths that name something in the form (not "(root)", "headers.…", "querystring.…"). */
const isFieldPath = (path: string) => /^[a-zA-Z]/.test(path) && !/^(headers|querystring|params)\./.test(path);

export function TaskForm({ task, patch }: { task: TaskRecord; patch?: PatchLike }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<AppDataProvider>();
  const keyFor = useMemo(() => idempotencyKeys(), []);
  const [rejection, setRejection] = useState<ServerRejection>();
  const type = task.type as TaskType;
  const Inputs = TASK_FORMS[type];
  // What the form starts from is fixed when it opens: a background refetch of the task or the patch (its
  // measurement arriving, a window regaining focus) must not wipe what the officer has typed. react-admin's
  // Form resets whenever its defaults or its record change, so both are pinned here (the record to the task's id).
  const [defaultValues] = useState(() => initialValues(type, task.context, patch ?? undefined));
  const formRecord = useMemo(() => ({ id: task.id }), [task.id]);
  // A task type this build does not know (a newer server): nothing to fill in here.
  if (!Inputs) return null;

  const submit = async (values: Record<string, unknown>) => {
    setRejection(undefined);
    const payload = buildPayload(type, values as TaskFormValues, task.context);
    try {
      const { data } = await dataProvider.completeTask(task.id, payload, keyFor(payload));
      notify(<SubmittedNotice answer={data as CompletionAnswer} />, { type: 'success' });
      await queryClient.invalidateQueries();
      redirect('list', 'tasks');
      return undefined;
    } catch (err) {
      const rejected = rejectionOf(err);
      const r = { ...rejected, errors: localizedErrors(rejected, translate, locale) };
      setRejection(r);
      const fieldErrors = Object.fromEntries(Object.entries(r.errors).filter(([path]) => isFieldPath(path)));
      if (Object.keys(fieldErrors).length) return fieldErrors;
      notify(r.message, { type: 'error' });
      return undefined;
    }
  };

  return (
    <Form key={`${task.id}:${patch ? 'p' : '-'}`} record={formRecord} defaultValues={defaultValues} onSubmit={submit} noValidate>
      {rejection && (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="server-rejection">
          {Object.keys(rejection.errors).length ? translate('task.serverErrors') : rejection.message}
          {Object.keys(rejection.errors).length > 0 && (
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {Object.entries(rejection.errors).map(([path, message]) => (
                <li key={path}>{message}</li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      <Inputs task={task} patchCode={task.patchCode} />
      <Box sx={{ mt: 2 }}>
        <SaveButton label="task.submit" icon={<SendIcon />} alwaysEnable />
      </Box>
    </Form>
  );
}
