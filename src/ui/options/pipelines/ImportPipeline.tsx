import { useState } from 'react';
import { Card } from '../../Card';
import { PipelineEditor } from './PipelineEditor';
import type { PipelinesClient } from './pipelinesClient';

/**
 * Import: a pipeline file (or pasted text) opens in the editor, which shows what it touches; it is
 * saved only once the user ticks that they checked it. Nothing runs on import. A file whose id is
 * already saved asks whether to replace that pipeline or keep both.
 */
export function ImportPipeline({ client, onDone }: { client: PipelinesClient; onDone(id?: string): void }) {
  const [text, setText] = useState<string>();
  const [error, setError] = useState<string>();
  if (text !== undefined) {
    return <PipelineEditor client={client} initialText={text} title="Import a pipeline" confirmReach mode={{ kind: 'import' }} onSaved={onDone} onCancel={() => onDone()} />;
  }
  return (
    <Card title="Import a pipeline" description="A .json file exported from Ferry, or any pipeline document." data-testid="pipeline-import">
      <label htmlFor="pipeline-file" className="block text-[13px] font-medium text-zinc-800 dark:text-zinc-200">
        Pipeline file
      </label>
      <input
        id="pipeline-file"
        data-testid="pipeline-file"
        type="file"
        accept=".json,.jsonc,application/json"
        className="mt-1 block text-sm text-zinc-700 file:mr-3 file:rounded-md file:border-0 file:bg-sky-600 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-white dark:text-zinc-300"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          if (file.size > 2_000_000) return setError(`${file.name} is ${Math.round(file.size / 1000)} kB; a pipeline file is at most 2 MB.`);
          file.text().then(setText, () => setError(`${file.name} could not be read.`));
        }}
      />
      {error && <p className="mt-2 text-[13px] text-red-700 dark:text-red-300">{error}</p>}
    </Card>
  );
}
