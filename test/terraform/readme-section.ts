import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** A fenced block of the README's Terraform section, by language (`ts` or `hcl`). */
export function readmeBlock(lang: 'ts' | 'hcl'): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Cluster registration with Terraform');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('README has no "## Cluster registration with Terraform" section');
  const block = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(start, end));
  if (!block) throw new Error(`no \`\`\`${lang} block in the README's Terraform section`);
  return block[1];
}
