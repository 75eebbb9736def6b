import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/** A change that, once it succeeds, refreshes every query under `changes` (set here, so no caller can drop it). */
export function useRefreshingMutation<Input, Output>(changes: QueryKey, call: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: async () => client.invalidateQueries({ queryKey: changes }) });
}
