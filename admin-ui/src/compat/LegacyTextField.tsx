/**
 * MUI's TextField for react-admin 5, which still passes MUI 5's props (InputProps, InputLabelProps,
 * inputProps, SelectProps, FormHelperTextProps) besides slotProps. MUI 9 dropped those props, so TextField
 * spread them onto its root <div> (React: "does not recognize the `InputProps` prop on a DOM element"; in a
 * production build an `inputprops="[object Object]"` attribute) and their content was lost where react-admin
 * did not also give it as slotProps (an Autocomplete's readOnly). Here each goes to its slot, under what
 * slotProps already says. The build puts this in place of TextField in react-admin's own modules only
 * (admin-ui/vite.config.ts); the app's code uses slotProps.
 */
import { TextField, type TextFieldProps } from '@mui/material';
import { forwardRef } from 'react';

type Bag = Record<string, unknown> | undefined;
const LEGACY: Record<string, string> = {
  InputProps: 'input',
  inputProps: 'htmlInput',
  InputLabelProps: 'inputLabel',
  SelectProps: 'select',
  FormHelperTextProps: 'formHelperText',
};

export const LegacyTextField = forwardRef<HTMLDivElement, TextFieldProps & Record<string, unknown>>(function LegacyTextField(props, ref) {
  const rest: Record<string, unknown> = { ...props };
  const slotProps: Record<string, Bag> = { ...(props.slotProps as Record<string, Bag> | undefined) };
  let legacy = false;
  for (const [prop, slot] of Object.entries(LEGACY)) {
    if (!(prop in rest)) continue;
    const value = rest[prop] as Bag;
    delete rest[prop];
    if (!value) continue;
    legacy = true;
    // slotProps win: react-admin gives there what it means for MUI ≥ 6.
    slotProps[slot] = typeof slotProps[slot] === 'function' ? slotProps[slot] : { ...value, ...slotProps[slot] };
  }
  return <TextField ref={ref} {...(rest as TextFieldProps)} {...(legacy || props.slotProps ? { slotProps: slotProps as TextFieldProps['slotProps'] } : {})} />;
});
