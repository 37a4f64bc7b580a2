/**
 * What a service module adds to the console (web/src/services/<id>/), looked up by service id
 * from web/src/services/registry.ts; the kernel pages never name a service.
 */
export interface ConsoleModule {
  /**
   * For steps whose approval outputs the service computes (the catalogue marks them
   * `computedOutputs`): the API path of the module's own approval action for this case.
   */
  computedApproval?: (appId: string, step: string) => string;
}
