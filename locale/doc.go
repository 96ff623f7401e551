// Package locale holds the user-facing texts of tracegate's pages, one
// catalog per language: zh.json and en.json, embedded, flat keys such as
// "scan.genuine" or "item.1". Both catalogs must have exactly the same keys
// and no empty value; Check says where they do not, and every text asked
// for that no catalog has. A page package reads its texts once, at init,
// into its own structs (T for one key, Fill for a struct of them), so a
// request never looks a key up. A third language is a third file and a
// Lang, not a third pattern.
package locale
