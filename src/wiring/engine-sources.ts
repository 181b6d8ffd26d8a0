/**
 * Where each engine's code lives, library and adapter alike: the process guard reads a failure's stack
 * against these to tell which engine (and so which session) it came from. Puppeteer is shared by both
 * browser engines, so its frames name neither.
 */
export const ENGINE_SOURCES: Readonly<Record<string, readonly RegExp[]>> = {
  wwebjs: [/[\\/]node_modules[\\/]whatsapp-web\.js[\\/]/, /[\\/]engines[\\/]wwebjs[\\/]/],
  wppconnect: [/[\\/]node_modules[\\/]@wppconnect(-team)?[\\/]/, /[\\/]engines[\\/]wppconnect[\\/]/],
  simulator: [/[\\/]engines[\\/]simulator[\\/]/],
};
