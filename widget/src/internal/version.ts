/** The version of portal.js, compared when a second copy of the script tries to define its elements. */
export const VERSION = '0.1.0';
