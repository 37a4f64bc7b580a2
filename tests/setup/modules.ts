/**
 * Every test process installs the service modules, as every entry point does through the
 * platform container (functions/shared/wiring.ts).
 */
import '#services/registry';
