import { REQUEST_TYPES } from "#domain/classifier/rules";
import type { ServiceDeps } from "./deps";

export interface Catalogue {
  departments: { code: string; name: string }[];
  categories: [string, string, string][];
  types: string[];
}

/** The dispatch catalogue's departments, the category tree and the request types, for pickers. */
export function describeCatalogue({ deps }: { deps: Pick<ServiceDeps, "suggest"> }): Catalogue {
  return {
    departments: [...deps.suggest.departmentNames].map(([code, name]) => ({ code, name })),
    categories: deps.suggest.categoryPaths.map(([level1, level2, leaf]) => [level1, level2, leaf]),
    types: [...REQUEST_TYPES],
  };
}
