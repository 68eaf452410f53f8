import { REQUEST_TYPES } from "#domain/classifier/rules";
import type { ServiceDeps } from "./deps";

export interface Catalogue {
  departments: { code: string; name: string }[];
  categories: [string, string, string][];
  types: string[];
  emergencies: { id: string; name: string; level: string; dispatchWithinMinutes: number }[];
}

/** The dispatch catalogue's departments, the category tree, the request types and the emergency list. */
export function describeCatalogue({ deps }: { deps: Pick<ServiceDeps, "suggest"> }): Catalogue {
  return {
    departments: [...deps.suggest.departmentNames].map(([code, name]) => ({ code, name })),
    categories: deps.suggest.categoryPaths.map(([level1, level2, leaf]) => [level1, level2, leaf]),
    types: [...REQUEST_TYPES],
    emergencies: deps.suggest.emergencies.map(({ id, name, level, dispatchWithinMinutes }) => ({
      id,
      name,
      level,
      dispatchWithinMinutes,
    })),
  };
}
