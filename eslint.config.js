import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const STDOUT_MESSAGE = "the host's stdout carries native-messaging frames only: log with the logger, write frames with the FrameWriter";
const STDIO_PROPERTY = "Property:matches([key.name='stdio'], [key.value='stdio'])";
/** Ways to reach fd 1 other than process.stdout: children sharing it, and writes to the descriptor. */
const HOST_STDOUT_SYNTAX = [
  {
    // stdio: 'inherit', or 'inherit' for the child's stdin or stdout (an inherited stderr is harmless).
    selector: `${STDIO_PROPERTY} > Literal[value='inherit'], ${STDIO_PROPERTY} > ArrayExpression > Literal[value='inherit']:matches(:nth-child(1), :nth-child(2))`,
    message: `a child must not inherit the host's stdin or stdout (use 'pipe' or 'ignore'): ${STDOUT_MESSAGE}`,
  },
  {
    selector: `${STDIO_PROPERTY} > ArrayExpression > Literal:matches([value=0], [value=1]), ${STDIO_PROPERTY} MemberExpression[object.name='process'][property.name=/^std(in|out)$/]`,
    message: `a child must not share the host's stdin or stdout: ${STDOUT_MESSAGE}`,
  },
  {
    selector: "CallExpression:matches([callee.name=/^(write|writeSync|writev|writevSync)$/], [callee.property.name=/^(write|writeSync|writev|writevSync)$/])[arguments.0.value=1]",
    message: `do not write to fd 1: ${STDOUT_MESSAGE}`,
  },
  {
    selector: "Property[key.name='fd'][value.value=1], Literal[value='/dev/stdout'], Literal[value='/proc/self/fd/1']",
    message: `do not open stdout as a stream or file: ${STDOUT_MESSAGE}`,
  },
];

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'native-host/dist/**', 'test-results/**', 'playwright-report/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser, ...globals.node, chrome: 'readonly' } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Nothing but frames may reach the host's stdout (fd 1): one stray byte and the browser closes the
    // port. stdout-guard.ts hands the real stdout to the frame writer and diverts everything else.
    files: ['native-host/src/**/*.ts'],
    ignores: ['native-host/src/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-syntax': ['error', ...HOST_STDOUT_SYNTAX],
      'no-restricted-imports': ['error', { paths: ['process', 'node:process'].map((name) => ({ name, importNames: ['stdout'], message: STDOUT_MESSAGE })) }],
    },
  },
  {
    // The guard takes stdout over; test.stdoutNoise writes to it on purpose to prove the guard works.
    files: ['native-host/src/**/*.ts'],
    ignores: ['native-host/src/**/*.test.ts', 'native-host/src/stdout-guard.ts', 'native-host/src/handlers/test-methods.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'stdout', message: STDOUT_MESSAGE }],
    },
  },
);
