/**
 * Splits GeoJSON text into features without building the whole document: a FeatureCollection's features
 * one by one, a single Feature, or a sequence of root objects (newline-delimited GeoJSON, RFC 8142 text
 * sequences). Each feature's text is then parsed with JSON.parse, which is much faster than a streaming
 * tokenizer; only structure (strings, escapes, nesting) is followed here. Top-level members other than
 * `features` (`type`, `crs`) are handed over too, so the coordinate system is known.
 *
 * Memory: the text of one feature at a time, plus what the caller keeps.
 */

/** `oversized`: the feature's text ran past the splitter's limit and was not kept (`text` is empty; `chars` is its length). */
export type SplitEvent = { kind: 'feature'; text: string; oversized?: boolean; chars?: number } | { kind: 'member'; key: string; text: string };

export class GeoJsonSyntaxError extends Error {}

/** Top-level members kept (small ones; `features` is streamed, anything else skipped). */
const KEPT_MEMBERS = new Set(['type', 'crs']);

class Capture {
  private parts: string[] = [];
  /** Characters captured so far (counted on even when no longer kept). */
  length = 0;
  oversized = false;
  constructor(
    public start: number,
    private readonly limit = Infinity,
  ) {}
  /** Keeps what the current chunk holds from `start` on; the capture continues at 0 in the next chunk. */
  spill(chunk: string) {
    this.keep(chunk.slice(this.start));
    this.start = 0;
  }
  finish(chunk: string, endExclusive: number): string {
    this.keep(chunk.slice(this.start, endExclusive));
    return this.oversized ? '' : this.parts.join('');
  }
  private keep(text: string) {
    this.length += text.length;
    if (this.length > this.limit) {
      this.oversized = true;
      this.parts = [];
    } else this.parts.push(text);
  }
}

export class GeoJsonSplitter {
  /** `maxFeatureChars`: a feature's text longer than this is not kept (reported as oversized), so one huge feature costs no memory. */
  constructor(private readonly maxFeatureChars = Infinity) {}
  private depth = 0;
  private inString = false;
  private escaped = false;
  private offset = 0; // characters seen before the current chunk
  private root?: Capture; // the root object, until it turns out to be a collection
  private feature?: Capture;
  private member?: Capture;
  private key?: Capture;
  private lastKey?: string;
  private currentKey?: string;
  private inFeatures = false;

  /** Feeds the next chunk of text; returns the features and members completed in it. */
  push(chunk: string): SplitEvent[] {
    const out: SplitEvent[] = [];
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) {
          this.inString = false;
          if (this.key) {
            this.lastKey = this.key.finish(chunk, i);
            this.key = undefined;
          }
        }
        continue;
      }
      switch (c) {
        case 34: // "
          this.inString = true;
          if (this.depth === 1 && !this.member) this.key = new Capture(i + 1);
          break;
        case 123: // {
        case 91: // [
          if (this.depth === 0) {
            if (c !== 123) throw this.error('应以 { 开始', i);
            this.root = new Capture(i);
          } else if (this.depth === 1 && c === 91 && this.currentKey === 'features') {
            this.inFeatures = true;
            this.root = undefined; // a collection: its text is not kept
            this.member = undefined;
          } else if (this.depth === 2 && this.inFeatures) {
            if (c !== 123) throw this.error('features 的元素应为对象', i);
            this.feature = new Capture(i, this.maxFeatureChars);
          }
          this.depth++;
          break;
        case 125: // }
        case 93: // ]
          this.depth--;
          if (this.depth < 0) throw this.error('多余的右括号', i);
          if (this.depth === 2 && this.feature) {
            const text = this.feature.finish(chunk, i + 1);
            out.push(this.feature.oversized ? { kind: 'feature', text, oversized: true, chars: this.feature.length } : { kind: 'feature', text });
            this.feature = undefined;
          } else if (this.depth === 1 && c === 93 && this.inFeatures) {
            this.inFeatures = false;
          } else if (this.depth === 0) {
            this.endMember(chunk, i, out);
            if (this.root) out.push({ kind: 'feature', text: this.root.finish(chunk, i + 1) });
            this.root = undefined;
            this.currentKey = undefined;
          }
          break;
        case 58: // :
          if (this.depth === 1) {
            this.currentKey = this.lastKey;
            if (this.currentKey && KEPT_MEMBERS.has(this.currentKey)) this.member = new Capture(i + 1);
          }
          break;
        case 44: // ,
          if (this.depth === 1) {
            this.endMember(chunk, i, out);
            this.currentKey = undefined;
          }
          break;
        case 32:
        case 9:
        case 10:
        case 13:
        case 0x1e: // RFC 8142 record separator
        case 0xfeff: // byte-order mark
          break;
        default:
          if (this.depth === 0) throw this.error(`意外的字符“${chunk[i]}”`, i);
      }
    }
    for (const capture of [this.root, this.feature, this.member, this.key]) capture?.spill(chunk);
    this.offset += n;
    return out;
  }

  /** Checks that the text ended where a value ends. */
  end(): void {
    if (this.inString || this.depth !== 0) throw new GeoJsonSyntaxError('GeoJSON 文件不完整（括号或引号未闭合）');
  }

  private endMember(chunk: string, i: number, out: SplitEvent[]) {
    if (this.member && this.currentKey) out.push({ kind: 'member', key: this.currentKey, text: this.member.finish(chunk, i).trim() });
    this.member = undefined;
  }

  private error(message: string, i: number) {
    return new GeoJsonSyntaxError(`GeoJSON 结构错误（第 ${this.offset + i + 1} 个字符）：${message}`);
  }
}
