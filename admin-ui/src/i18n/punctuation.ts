/** Punctuation between texts in the UI's language: "：" and "、" in Chinese, ": " and ", " in English. */
type Translate = (key: string, options?: Record<string, unknown>) => string;

export const colon = (translate: Translate) => translate('app.sep.colon');
export const joinList = (translate: Translate, items: string[]) => items.join(translate('app.sep.list'));
export const joinSemi = (translate: Translate, items: string[]) => items.join(translate('app.sep.semi'));
/** "（text）" / " (text)". */
export const paren = (translate: Translate, text: string) => translate('app.paren', { text });
