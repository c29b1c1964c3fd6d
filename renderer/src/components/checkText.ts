// Check messages are built from parts ("Cannot reach HOST: " + the HTTP layer's own "Cannot
// reach HOST: check the store's base URL"), so a sentence can arrive twice. The display drops
// a part that says nothing the part beside it does not already say; anything else is shown as
// the engine wrote it. (The engine should not repeat itself — this only keeps the screen clean.)

const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[.,;!]+$/g, '')
    .split(/\s+/)
    .filter(Boolean);

/** True when every word of `small`, in order, appears in `big`. */
function within(small: string[], big: string[]): boolean {
  let i = 0;
  for (const w of big) if (w === small[i]) i++;
  return i === small.length;
}

export function dedupeRepeats(message: string): string {
  const parts = message.split(': ');
  if (parts.length < 2) return message;
  const out: string[] = [parts[0]!];
  for (const part of parts.slice(1)) {
    const prev = out[out.length - 1]!;
    const a = words(prev);
    const b = words(part);
    if (b.length >= 2 && within(b, a)) continue; // "X at HOST: HOST …" — the second adds nothing
    if (a.length >= 2 && b.length > a.length && b.slice(0, a.length).join(' ') === a.join(' ')) {
      out[out.length - 1] = part; // "A: A and more" — keep the fuller one
      continue;
    }
    out.push(part);
  }
  return out.join(': ');
}
