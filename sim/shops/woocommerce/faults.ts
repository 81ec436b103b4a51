/**
 * What a WooCommerce host answers to an injected status fault (common/faults.ts; core itself has no
 * rate limit, webshop-api.md §1 "Rate limits"): a PHP fatal as WordPress renders it, an nginx 429 page
 * and the WordPress maintenance page.
 */
export const PHP_FATAL_BODY = {
  code: 'internal_server_error',
  message: '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>',
  data: { status: 500 },
  additional_errors: [],
};

export const HTML_429 = '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export const HTML_503 = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Maintenance</title></head><body><h1>Briefly unavailable for scheduled maintenance. Check back in a minute.</h1></body></html>\n';
