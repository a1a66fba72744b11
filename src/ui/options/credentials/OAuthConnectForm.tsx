import { useRef, useState, type FormEvent } from 'react';
import type { OAuthConnectResult } from '../../../auth/oauth-connections';
import type { BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { cx } from '../../cx';
import { inputClass, labelClass, TextField } from '../../TextField';
import { describeOAuthError, type OAuthProblem } from '../../vault/oauthText';
import { connectionNameProblem, oauthConfigProblem } from './validation';

const EXAMPLE = `// OAuth authentication flow
{
  "oauthConfig": {
    "authUrl": "https://auth.service.com/oauth/authorize",
    "tokenUrl": "https://auth.service.com/oauth/token",
    "clientId": "{{credentials.clientId}}",
    "scopes": ["read", "write"],
    "redirectUri": "https://localhost:3000/callback"
  }
}`;

export function ProblemCallout({ problem, testId, tone = 'danger' }: { problem: OAuthProblem; testId: string; tone?: 'danger' | 'warning' }) {
  return (
    <Callout tone={tone} title={problem.title} data-testid={testId}>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.issues.length > 0 && (
        <ul className="mt-1 list-disc space-y-0.5 pl-4 font-mono text-xs">
          {problem.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
    </Callout>
  );
}

/**
 * A name and the seed's `oauthConfig` block as pasted, checked in the page with the background's own
 * parser; Connect opens the provider's sign-in window and answers when the user has finished there.
 */
export function OAuthConnectForm({ send, existing, busy, onBusy, onConnected }: {
  send: BackgroundSend;
  existing: string[];
  /** Another sign-in is open (a reconnect): one at a time. */
  busy: boolean;
  onBusy(name: string | undefined): void;
  onConnected(result: OAuthConnectResult): void;
}) {
  const [name, setName] = useState('');
  const [config, setConfig] = useState('');
  const [tried, setTried] = useState(false);
  const [connecting, setConnecting] = useState(false);
  const [failure, setFailure] = useState<OAuthProblem>();
  const nameRef = useRef<HTMLInputElement>(null);
  const configRef = useRef<HTMLTextAreaElement>(null);
  const nameProblem = name !== '' || tried ? connectionNameProblem(name) : undefined;
  const configProblem = tried ? oauthConfigProblem(config) : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setFailure(undefined);
    if (connectionNameProblem(name)) return nameRef.current?.focus();
    if (oauthConfigProblem(config)) return configRef.current?.focus();
    setConnecting(true);
    onBusy(name);
    try {
      const result = await send('oauth.connect', { name, oauthConfig: config });
      setName('');
      setConfig('');
      setTried(false);
      onConnected(result);
    } catch (error) {
      setFailure(describeOAuthError(error));
    } finally {
      setConnecting(false);
      onBusy(undefined);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="mt-4 space-y-3 border-t border-zinc-100 pt-4 dark:border-zinc-800" aria-label="Connect an OAuth service" data-testid="oauth-connect-form">
      <h3 className="text-[13px] font-semibold">Connect a service</h3>
      <TextField
        ref={nameRef}
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        placeholder="github"
        error={nameProblem}
        hint={!nameProblem ? (existing.includes(name) ? `${name} exists: connecting again replaces its tokens.` : `Pipelines use its token as {{credentials.${name || 'github'}.accessToken}}.`) : undefined}
        className="sm:max-w-xs"
        data-testid="oauth-name"
      />
      <div>
        <label htmlFor="oauth-config" className={labelClass}>
          OAuth configuration
        </label>
        <textarea
          id="oauth-config"
          ref={configRef}
          value={config}
          onChange={(e) => setConfig(e.target.value)}
          spellCheck={false}
          rows={11}
          placeholder={EXAMPLE}
          aria-invalid={configProblem ? true : undefined}
          aria-describedby="oauth-config-hint"
          className={cx(inputClass, 'mt-1 h-auto py-2 font-mono text-xs leading-relaxed', configProblem && 'ring-red-500 dark:ring-red-400')}
          data-testid="oauth-config"
        />
        <p id="oauth-config-hint" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          The <code>oauthConfig</code> block as written. Client ids and secrets go in as credential references such as <code>{'{{credentials.clientId}}'}</code>; save those credentials above first.
        </p>
      </div>
      {configProblem && <ProblemCallout problem={configProblem} testId="oauth-config-error" />}
      {connecting && (
        <Callout tone="info" title="Sign in and allow access in the window that opened" data-testid="oauth-connecting">
          Ferry waits for the service to send you back. Closing that window cancels.
        </Callout>
      )}
      {failure && <ProblemCallout problem={failure} testId="oauth-connect-error" />}
      <Button type="submit" busy={connecting} busyLabel="Waiting for sign-in…" disabled={busy && !connecting} data-testid="oauth-connect-submit">
        Connect
      </Button>
    </form>
  );
}
