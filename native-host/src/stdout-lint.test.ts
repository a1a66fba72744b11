/**
 * The lint rules that keep the host's stdout for frames only (eslint.config.js), run on snippets as
 * if they were host source files.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function problems(code: string, file = 'native-host/src/example.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${file}` });
  // Snippets import more than each uses.
  return result!.messages.filter((m) => m.ruleId !== '@typescript-eslint/no-unused-vars').map((m) => `${m.ruleId}: ${m.message}`);
}

const header = "import { spawn, execFileSync } from 'node:child_process';\nimport fs, { writeSync, createWriteStream } from 'node:fs';\n";

describe('host source may not reach stdout', () => {
  it.each([
    ["spawn('x', [], { stdio: 'inherit' });", 'no-restricted-syntax'],
    ["execFileSync('x', [], { stdio: ['pipe', 'inherit', 'pipe'] });", 'no-restricted-syntax'],
    ["spawn('x', [], { 'stdio': ['inherit', 'pipe', 'pipe'] });", 'no-restricted-syntax'],
    ["spawn('x', [], { stdio: ['pipe', 'pipe', 1] });", 'no-restricted-syntax'],
    ["spawn('x', [], { stdio: ['pipe', process.stdout, 'pipe'] });", 'no-restricted-syntax'],
    ["fs.writeSync(1, 'x');", 'no-restricted-syntax'],
    ["writeSync(1, 'x');", 'no-restricted-syntax'],
    ["fs.write(1, 'x', () => {});", 'no-restricted-syntax'],
    ["createWriteStream('', { fd: 1 });", 'no-restricted-syntax'],
    ["createWriteStream('/dev/stdout');", 'no-restricted-syntax'],
    ["process.stdout.write('x');", 'no-restricted-properties'],
    ['const { stdout } = process; stdout.write("x");', 'no-restricted-properties'],
    ["console.log('x');", 'no-console'],
  ])('%s', async (line, rule) => {
    const found = await problems(`${header}${line}\n`);
    expect(found.some((p) => p.startsWith(`${rule}:`)), found.join('\n')).toBe(true);
  });

  it('forbids importing stdout from node:process', async () => {
    const found = await problems("import { stdout } from 'node:process';\nstdout.write('x');\n");
    expect(found.some((p) => p.startsWith('no-restricted-imports:')), found.join('\n')).toBe(true);
  });

  it('allows pipes, stderr and writes to other descriptors', async () => {
    const code = `${header}spawn('x', [], { stdio: ['pipe', 'pipe', 'ignore'] });\nspawn('x', [], { stdio: ['ignore', 'pipe', 'inherit'] });\nexecFileSync('x', [], { stdio: 'pipe' });\nwriteSync(2, 'x');\nprocess.stderr.write('x');\nconst fd = 3; fs.writeSync(fd, 'x');\ncreateWriteStream('/tmp/x');\n`;
    expect(await problems(code)).toEqual([]);
  });

  it('leaves the stdout guard, the noisy test method and tests alone', async () => {
    const code = "process.stdout.write('x');\n";
    expect(await problems(code, 'native-host/src/stdout-guard.ts')).toEqual([]);
    expect(await problems(code, 'native-host/src/handlers/test-methods.ts')).toEqual([]);
    expect(await problems(`${code}console.log('x');\n`, 'native-host/src/example.test.ts')).toEqual([]);
  });
});
