// Package console is tracegate's web console: the pages that customs and
// inspection officers and the enterprises' staff use every day, in Chinese
// (the default) and English, served by the same binary under /console.
//
// People sign in with a login and password (argon2id, RFC 9106) into a
// server-side session: a random id in a Secure (except on loopback),
// HttpOnly, SameSite=Lax cookie, stored only as its SHA-256, with idle and
// absolute timeouts and sign-out everywhere. Every state-changing form is
// checked by http.CrossOriginProtection and a per-session token. Sign-in is
// rate-limited per client network and locks an account after repeated
// failures, with the same answer, in the same time, for unknown logins.
//
// The console is mounted by package web (web.Console): its routes pass
// through web's middleware, route policy and authorization matrix, and its
// error pages take their status from web's problem table. Pages are
// server-rendered html/template (one layout, a view per page) with texts
// from package locale; charts are Apache ECharts, served from this server.
//
// SPEC: https://www.rfc-editor.org/rfc/rfc9106 (argon2id),
// https://owasp.org/www-community/attacks/csrf,
// https://echarts.apache.org/
package console
