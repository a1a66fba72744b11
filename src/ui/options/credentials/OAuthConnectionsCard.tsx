import { useState } from 'react';
import type { OAuthConnectionStatus, OAuthConnectResult } from '../../../auth/oauth-connections';
import type { BackgroundSend } from '../../background';
import { Badge } from '../../Badge';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { ConfirmButton } from '../../ConfirmButton';
import { useLoader } from '../../useLoader';
import { useNow } from '../../vault/useNow';
import { connectionView, describeOAuthError, reconnectReason, type OAuthProblem } from '../../vault/oauthText';
import { ListState } from '../runs/ListState';
import { OAuthConnectForm, ProblemCallout } from './OAuthConnectForm';

type Notice = { tone: 'info'; title: string; lines?: string[] } | { tone: 'danger'; problem: OAuthProblem };

/**
 * Options → Credentials → OAuth connections: each connection's status, scopes and expiry, with
 * Reconnect, Refresh now and Disconnect; and the form that connects a new one. Never a token.
 */
export function OAuthConnectionsCard({ send, onChange }: { send: BackgroundSend; onChange?(): void }) {
  const connections = useLoader('oauth-status', () => send('oauth.status', undefined), () => 10_000);
  const [notice, setNotice] = useState<Notice>();
  const [signingIn, setSigningIn] = useState<string>();
  const [working, setWorking] = useState<{ name: string; action: 'refresh' | 'disconnect' }>();
  const list = connections.value ?? [];
  const [now] = useNow(list.length > 0, 30_000);

  const after = async (next: Notice) => {
    setNotice(next);
    await connections.reload();
    onChange?.();
  };
  const connected = (result: OAuthConnectResult) =>
    void after({ tone: 'info', title: `Connected ${result.name}${result.scopes.length ? ` (${result.scopes.join(', ')})` : ''}. Pipelines use its token as {{credentials.${result.name}.accessToken}}.`, lines: result.notices });

  const reconnect = async (name: string) => {
    setSigningIn(name);
    setNotice(undefined);
    try {
      connected(await send('oauth.connect', { name }));
    } catch (error) {
      await after({ tone: 'danger', problem: describeOAuthError(error, `Could not reconnect ${name}`) });
    } finally {
      setSigningIn(undefined);
    }
  };
  const refresh = async (name: string) => {
    setWorking({ name, action: 'refresh' });
    setNotice(undefined);
    try {
      await send('oauth.refresh', { name });
      await after({ tone: 'info', title: `Renewed ${name}’s access token.` });
    } catch (error) {
      await after({ tone: 'danger', problem: describeOAuthError(error, `Could not refresh ${name}`) });
    } finally {
      setWorking(undefined);
    }
  };
  const disconnect = async (name: string) => {
    setWorking({ name, action: 'disconnect' });
    setNotice(undefined);
    try {
      const { revoked } = await send('oauth.disconnect', { name });
      const how = { revoked: 'and revoked its tokens at the service', failed: 'but the service did not confirm revoking its tokens; revoke Ferry’s access there too', notConfigured: 'and deleted its tokens (the configuration has no revocationUrl, so the service still counts Ferry as authorized until you remove it there)' }[revoked];
      await after({ tone: 'info', title: `Disconnected ${name} ${how}.` });
    } catch (error) {
      await after({ tone: 'danger', problem: describeOAuthError(error, `Could not disconnect ${name}`) });
    } finally {
      setWorking(undefined);
    }
  };

  return (
    <Card
      title="OAuth connections"
      description="Services Ferry signs in to with OAuth 2.0. Their tokens are kept in the vault and renewed by themselves; none is ever shown."
      data-testid="oauth-connections"
    >
      {notice?.tone === 'info' && (
        <Callout tone="info" title={notice.title} className="mb-3" data-testid="oauth-notice">
          {notice.lines && notice.lines.length > 0 ? notice.lines.map((line) => <p key={line}>{line}</p>) : undefined}
        </Callout>
      )}
      {notice?.tone === 'danger' && (
        <div className="mb-3">
          <ProblemCallout problem={notice.problem} testId="oauth-error" />
        </div>
      )}
      {signingIn && !connections.loading && list.some((c) => c.name === signingIn) && (
        <Callout tone="info" title={`Sign in to ${signingIn} and allow access in the window that opened`} className="mb-3" data-testid="oauth-reconnecting">
          Ferry waits for the service to send you back. Closing that window cancels.
        </Callout>
      )}
      <ListState loaded={connections} empty="No connections yet. Connect a service below." testId="oauth">
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="oauth-list">
          {list.map((c) => (
            <ConnectionRow
              key={c.name}
              connection={c}
              now={now}
              signingIn={signingIn}
              working={working?.name === c.name ? working.action : undefined}
              onReconnect={() => void reconnect(c.name)}
              onRefresh={() => void refresh(c.name)}
              onDisconnect={() => void disconnect(c.name)}
            />
          ))}
        </ul>
      </ListState>
      <OAuthConnectForm send={send} existing={list.map((c) => c.name)} busy={signingIn !== undefined} onBusy={setSigningIn} onConnected={connected} />
    </Card>
  );
}

function ConnectionRow({ connection: c, now, signingIn, working, onReconnect, onRefresh, onDisconnect }: {
  connection: OAuthConnectionStatus;
  now: number;
  signingIn?: string;
  working?: 'refresh' | 'disconnect';
  onReconnect(): void;
  onRefresh(): void;
  onDisconnect(): void;
}) {
  const view = connectionView(c, now);
  return (
    <li className="py-3 first:pt-0 last:pb-0" data-testid="oauth-connection" data-name={c.name} data-status={view.needsReconnect ? 'needsReconnect' : 'connected'}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-[13px] font-semibold break-all">{c.name}</span>
            <Badge tone={view.tone} dot data-testid="oauth-connection-status">
              {view.label}
            </Badge>
          </div>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {c.authOrigin} · {view.expiry}
          </p>
          <div className="flex flex-wrap gap-1" aria-label="Scopes">
            {c.scopes.length === 0 ? (
              <span className="text-xs text-zinc-500">No scopes</span>
            ) : (
              c.scopes.map((s) => (
                <span key={s} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                  {s}
                </span>
              ))
            )}
          </div>
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <Button
            variant={view.needsReconnect ? 'primary' : 'secondary'}
            busy={signingIn === c.name}
            busyLabel="Waiting for sign-in…"
            disabled={signingIn !== undefined || working !== undefined}
            onClick={onReconnect}
            aria-label={`Reconnect ${c.name}`}
            data-testid="oauth-reconnect"
          >
            Reconnect
          </Button>
          {!view.needsReconnect && c.hasRefreshToken && (
            <Button variant="secondary" busy={working === 'refresh'} busyLabel="Refreshing…" disabled={working !== undefined} onClick={onRefresh} aria-label={`Refresh ${c.name} now`} data-testid="oauth-refresh">
              Refresh now
            </Button>
          )}
          <ConfirmButton
            label="Disconnect"
            ariaLabel={`Disconnect ${c.name}`}
            question={`Disconnect ${c.name}?`}
            confirmLabel="Disconnect"
            busy={working === 'disconnect'}
            onConfirm={onDisconnect}
            data-testid="oauth-disconnect"
          />
        </div>
      </div>
      {view.needsReconnect && (
        <Callout tone="warning" title={`Reconnect ${c.name}`} className="mt-2" data-testid="oauth-needs-reconnect">
          {reconnectReason(c)} Runs that use it fail until then; replay their dead letters afterwards.
        </Callout>
      )}
    </li>
  );
}
