/** The agencies of the living-allowance desk (data, read by the registry entry and the desk). */
export const TOWNSHIP_AGENCY = 'ca-township';
export const CITY_AGENCY = 'ca-city';
