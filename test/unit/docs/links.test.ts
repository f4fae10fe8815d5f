/**
 * Every relative link of README.md and docs/**\/*.md leads somewhere: to a file or folder of the
 * repository, and, when it names one (`#anchor`), to a heading of that page as GitHub renders it.
 * Moving a section from one page to another is how links break; this says which, and where.
 *
 * In memory: reads the Markdown, starts nothing. (test/unit/repo/self-contained.test.ts checks that nothing
 * points outside the repository, in every file; this one reads the reader-facing pages the way GitHub
 * does: code blocks and code spans hold no links and no headings, and a repeated heading gets `-1`.)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** What the check reads: a page's text by its repository path (undefined: no such file), and whether a path exists. */
interface Repository {
  text(path: string): string | undefined;
  exists(path: string): boolean;
}

const onDisk: Repository = {
  text: (path) => (existsSync(ROOT + path) && statSync(ROOT + path).isFile() ? readFileSync(ROOT + path, 'utf8') : undefined),
  exists: (path) => existsSync(ROOT + path),
};

/** The Markdown without its fenced code blocks (their lines left empty, so line numbers stay). */
function withoutCodeBlocks(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === undefined) {
        if (!marker) return line;
        fence = marker;
      } else if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
        fence = undefined;
      }
      return '';
    })
    .join('\n');
}

/** Where links can be: neither code blocks nor code spans. */
const prose = (markdown: string): string => withoutCodeBlocks(markdown).replace(/(`+)(?:(?!\1)[^\n])+?\1/g, '');

/**
 * GitHub's anchor for a heading (github-slugger's rule, on the heading as rendered): lower case,
 * everything but letters, marks, digits, connector punctuation, hyphens and spaces dropped, each space
 * a hyphen. Hand-written because it is these three lines; the library would be a dependency for them.
 */
const slug = (heading: string): string =>
  heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');

/** The heading as rendered: links by their text, code spans by their content, no emphasis marks or tags. */
const rendered = (heading: string): string =>
  heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\*/g, '')
    .trim();

/** Every anchor a page has: its headings' slugs (`-1`, `-2`, … for repeats) and its explicit `id`s. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading = ''] of withoutCodeBlocks(markdown).matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const base = slug(rendered(heading));
    let candidate = base;
    for (let n = 1; anchors.has(candidate); n += 1) candidate = `${base}-${n}`;
    anchors.add(candidate);
  }
  for (const [, id = ''] of markdown.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

/** Inline links and images `[text](target "title")`, `[text](<target>)`, and `[label]: target` definitions. */
function linksOf(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*(?:<([^>]*)>|([^)\s]*))(?:\s+["'(][^)]*)?\)/g)].map((match) => match[1] ?? match[2] ?? '');
  const definitions = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)].map((match) => match[1]!);
  return [...inline, ...definitions];
}

const external = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** Each link of `pages` that leads nowhere, as `page: link (why)`. */
function brokenLinks(pages: readonly string[], repository: Repository): string[] {
  const broken: string[] = [];
  for (const page of pages) {
    for (const link of linksOf(repository.text(page) ?? '')) {
      if (external(link)) continue;
      const hash = link.indexOf('#');
      const path = hash < 0 ? link : link.slice(0, hash);
      const anchor = hash < 0 ? undefined : link.slice(hash + 1);
      const target = path === '' ? page : posix.normalize(posix.join(posix.dirname(page), decodeURIComponent(path))).replace(/(.)\/$/, '$1');
      if (target === '..' || target.startsWith('../') || posix.isAbsolute(target)) broken.push(`${page}: ${link} (outside the repository)`);
      else if (!repository.exists(target)) broken.push(`${page}: ${link} (no such file)`);
      else if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(repository.text(target) ?? '').has(decodeURIComponent(anchor))) {
        broken.push(`${page}: ${link} (no such heading in ${target})`);
      }
    }
  }
  return broken;
}

/** README.md and every Markdown page under docs/. */
function readerPages(): string[] {
  const docs = readdirSync(ROOT + 'docs', { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => posix.join('docs', path.split('\\').join('/')));
  return ['README.md', ...docs.sort()];
}

describe('links in README.md and docs/', () => {
  it('all lead to a file of the repository, and to a heading of it when they name one', () => {
    const pages = readerPages();
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/contract.md', 'docs/operators.md', 'docs/notes/graphql-stack.md']));
    expect(brokenLinks(pages, onDisk)).toEqual([]);
  });
});

describe('the check itself', () => {
  const repository = (files: Record<string, string>): Repository => ({
    text: (path) => files[path],
    exists: (path) => path in files || Object.keys(files).some((file) => file.startsWith(`${path}/`)),
  });

  it('slugs headings as GitHub does, numbering repeats, and ignores code', () => {
    const page = [
      '# The service’s contract',
      '## 2. Configuration (environment variables)',
      '## `REDIS_URL` and *(extension)* [links](x.md)',
      '## Notes',
      '## Notes',
      '```sh',
      '# a comment, not a heading',
      '```',
      '<a id="custom"></a>',
    ].join('\n');
    expect([...anchorsOf(page)]).toEqual([
      'the-services-contract',
      '2-configuration-environment-variables',
      'redis_url-and-extension-links',
      'notes',
      'notes-1',
      'custom',
    ]);
  });

  it('names each link that leads nowhere, and passes the rest', () => {
    const files = {
      'README.md': [
        '[ok](docs/a.md) [ok](docs/a.md#notes-1) [ok](#top) [ok](docs/) [ok](https://example.com/x.md#nowhere)',
        '[no file](docs/b.md) [no heading](docs/a.md#missing) [outside](../elsewhere.md) [no heading here](#bottom)',
        '`[in a code span](docs/none.md)`',
        '```md',
        '[in a code block](docs/none.md)',
        '```',
        '[def]: docs/gone.md',
        '# Top',
      ].join('\n'),
      'docs/a.md': '# A\n## Notes\n## Notes\n[up](../README.md#top) [sibling](./a.md#a)',
    };
    expect(brokenLinks(['README.md', 'docs/a.md'], repository(files))).toEqual([
      'README.md: docs/b.md (no such file)',
      'README.md: docs/a.md#missing (no such heading in docs/a.md)',
      'README.md: ../elsewhere.md (outside the repository)',
      'README.md: #bottom (no such heading in README.md)',
      'README.md: docs/gone.md (no such file)',
    ]);
  });
});
