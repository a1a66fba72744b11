/** Reads the background's PIPELINE_EXISTS refusal (it arrives as an RpcError carrying the FerryError's JSON). */
export interface SaveConflict {
  /** The id both pipelines have. */
  id: string;
  /** The saved pipeline that would be replaced. */
  name: string;
  /** The id "keep both" saves the new one under. */
  freeId: string;
}

export function saveConflictOf(error: unknown): SaveConflict | undefined {
  const data = (error as { data?: unknown } | null)?.data as { code?: unknown; details?: Partial<SaveConflict> } | undefined;
  const details = data?.code === 'PIPELINE_EXISTS' ? data.details : undefined;
  if (typeof details?.id !== 'string' || typeof details.name !== 'string' || typeof details.freeId !== 'string') return undefined;
  return { id: details.id, name: details.name, freeId: details.freeId };
}
