// Puppeteer cannot download its own browser here; Ponte uses Debian's chromium.
module.exports = { skipDownload: true };
