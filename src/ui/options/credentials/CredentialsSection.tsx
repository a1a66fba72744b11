import { backgroundSend, type BackgroundSend } from '../../background';
import { CredentialsCard } from './CredentialsCard';
import { EnvVarsCard } from './EnvVarsCard';

/** Options → Credentials: the vault's secrets (never shown again), and the plain environment variables. */
export function CredentialsSection({ send = backgroundSend }: { send?: BackgroundSend }) {
  return (
    <div className="space-y-4">
      <CredentialsCard send={send} />
      <EnvVarsCard send={send} />
    </div>
  );
}
