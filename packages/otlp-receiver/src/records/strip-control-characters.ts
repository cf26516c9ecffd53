/**
 * Text from workers (job names, error messages, log bodies) ends up on terminals: `joblens findings`,
 * `explain`, the demo. A job name holding `ESC ] 0 ; title BEL` retitles the terminal, `ESC [ 2 J`
 * clears it, `\r` overwrites what was printed, and bidirectional overrides make text read other than it
 * is. Whole escape sequences go (so no `]0;title` residue is left behind), then every other C0 and C1
 * control character, DEL and the bidi controls. Newline and tab stay unless `singleLine`.
 */
// CSI ... final byte; OSC / DCS / SOS / PM / APC ... up to BEL or ST (or the end); any other ESC pair.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const ESCAPE_SEQUENCES = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS_AND_LINES = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripControlCharacters(text: string, options: { singleLine?: boolean } = {}): string {
  const withoutSequences = text.includes('\x1b') ? text.replace(ESCAPE_SEQUENCES, '') : text;
  return withoutSequences.replace(options.singleLine ? CONTROLS_AND_LINES : CONTROLS, '');
}
