// Front's `text` is the sender's own plain-text part, so its lists and links are written however
// the sender's client wrote them ("* item", "• item", "label <https://…>", "label [https://…]").
// htmlToPlain writes "- item" and "label (https://…)"; this brings plain text to the same form, so a
// Highlight reads the same whichever of the two Front sent.

const BULLET = /^(\s*)[*•◦▪·]\s+/gmu;
const ANGLE_OR_SQUARE_URL = /(?:<(https?:\/\/[^\s<>]+)>|\[(https?:\/\/[^\s[\]]+)\])/gu;

export function plainStyle(text: string): string {
  return text
    .replace(BULLET, '$1- ')
    .replace(ANGLE_OR_SQUARE_URL, (_whole, angle: string | undefined, square: string | undefined) => `(${angle ?? square})`);
}
