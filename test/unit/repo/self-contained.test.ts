/**
 * The repository explains itself and stands alone: every relative link in its Markdown (README.md,
 * docs/) leads to a file in the repository (and to a heading there, when it names one), and no file
 * points outside it — no `../shared`, no absolute path of the machine it was written on.
 */
import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Installed, built or produced by runs: not the repository's own files (see .gitignore). */
const NOT_OURS = new Set(['.git', 'node_modules', 'dist', 'coverage', 'test-artifacts', 'scratch']);

async function repositoryFiles(directory = ROOT): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !NOT_OURS.has(entry.name))
      .map(async (entry) => (entry.isDirectory() ? repositoryFiles(join(directory, entry.name)) : [join(directory, entry.name)])),
  );
  return nested.flat();
}

const inside = (path: string) => !relative(ROOT, path).startsWith('..');
const exists = (path: string) => access(path).then(() => true, () => false);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

async function anchorsIn(markdownFile: string): Promise<Set<string>> {
  const text = await readFile(markdownFile, 'utf8');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1]!)));
}

/** Inline `[text](target)` and reference `[label]: target` links, without external ones. */
function relativeLinks(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
  const references = [...markdown.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((match) => match[1]!);
  return [...inline, ...references].filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('the repository is self-contained', () => {
  it('every relative link in its Markdown resolves, to a heading too when it names one', async () => {
    const markdownFiles = (await repositoryFiles()).filter((file) => file.endsWith('.md'));
    expect(markdownFiles.map((file) => relative(ROOT, file))).toContain('README.md');
    const broken: string[] = [];
    for (const file of markdownFiles) {
      for (const link of relativeLinks(await readFile(file, 'utf8'))) {
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? file : resolve(dirname(file), decodeURI(path));
        const where = `${relative(ROOT, file)}: ${link}`;
        if (!inside(target)) broken.push(`${where} (outside the repository)`);
        else if (!(await exists(target))) broken.push(`${where} (no such file)`);
        else if (anchor && target.endsWith('.md') && !(await anchorsIn(target)).has(anchor)) broken.push(`${where} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('no file points outside the repository', async () => {
    // This checkout's absolute path, or any directory beside it (a sibling checkout or worktree).
    const parent = dirname(ROOT.replace(/\/$/, ''));
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const machinePath = parent === '/' ? new RegExp(escape(ROOT)) : new RegExp(`${escape(parent)}/[\\w.-]+/`);
    const offending: string[] = [];
    for (const file of await repositoryFiles()) {
      if (file === fileURLToPath(import.meta.url)) continue;
      const text = await readFile(file, 'utf8');
      if (text.includes('\u0000')) continue; // binary
      if (text.includes('../shared')) offending.push(`${relative(ROOT, file)} mentions ../shared`);
      const found = machinePath.exec(text);
      if (found) offending.push(`${relative(ROOT, file)} mentions ${found[0]}`);
    }
    expect(offending).toEqual([]);
  });
});
