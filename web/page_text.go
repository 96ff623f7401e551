package web

import (
	"html/template"
	"strings"

	"tracegate/locale"
)

// The pages' texts come from the locale catalogs (locale/zh.json,
// locale/en.json), read once at start: each page's text struct is filled
// with locale.Fill, so a key a catalog lacks is recorded for locale.Check,
// which serve and the tests run. A field of type template.HTML holds a
// catalog text with links or code in it: the catalogs are embedded and
// reviewed like the templates, never filled from input.

// catalogLang is the catalog of a page language: "en" is English, anything
// else Chinese.
func catalogLang(lang string) locale.Lang {
	if lang == "en" {
		return locale.EN
	}
	return locale.ZH
}

// htmlLang is the lang attribute of a page language.
func htmlLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "zh-CN"
}

// inBoth builds a page's texts in each language, indexed by locale.Lang.
func inBoth[T any](build func(l locale.Lang) T) [2]T {
	return [2]T{build(locale.ZH), build(locale.EN)}
}

// around is a catalog text cut at its placeholder: what a page prints
// before and after the value it puts there.
type around struct{ Before, After string }

// aroundOf cuts the text of key in l at placeholder.
func aroundOf(l locale.Lang, key, placeholder string) around {
	before, after, _ := strings.Cut(locale.T(l, key), placeholder)
	return around{before, after}
}

// pageWords are the words every page has ("page." + the field's name).
type pageWords struct {
	SwitchLang string // the name of the other language, for the switch
}

var pageWordsIn = inBoth(func(l locale.Lang) pageWords {
	var w pageWords
	_ = locale.Fill(l, "page", &w) // w is a struct
	return w
})

// homeText is the wording of the home page in one language.
type homeText struct {
	Title, Heading, CodeTitle, CodeLabel, Submit, CodeHint, ScanStart, ScanStop, Camera string
	WhatTitle, WhatText, BlacklistTitle, LogTitle, DevTitle                             string
	// Texts with links or code in them.
	BlacklistText, LogCheckpoint, LogKey, LogProof, DevAPI, DevHealth, DevAuth template.HTML
	// CodeError is the message around a refused code.
	CodeError around
	Page      pageWords
}

var homeTexts = inBoth(func(l locale.Lang) homeText {
	var t homeText
	_ = locale.Fill(l, "home", &t) // t is a struct
	t.Page = pageWordsIn[l]
	t.CodeError = aroundOf(l, "home.code_error", "{code}")
	return t
})

// errorText is the wording of the error page in one language; Hints say
// what a person can do next, per problem code.
type errorText struct {
	Error, Home, RequestID string
	Hints                  map[string]string
	Page                   pageWords
}

// errorHintCodes are the problem codes whose error page gives a hint
// ("error.hint." + code).
var errorHintCodes = []string{"not_found", "invalid", "unauthorized", "forbidden", "rate_limited", "unavailable", "internal"}

var errorTexts = inBoth(func(l locale.Lang) errorText {
	var t errorText
	_ = locale.Fill(l, "error", &t) // t is a struct
	t.Page = pageWordsIn[l]
	t.Hints = map[string]string{}
	for _, c := range errorHintCodes {
		t.Hints[c] = locale.T(l, "error.hint."+c)
	}
	return t
})

// productText is the wording of the product information page.
type productText struct {
	OtherName, Brand, Specification, GTIN, OriginCountry, Manufacturer, HSCode string
	// PrefixIssuer is the note around the issuer of the GTIN's prefix.
	PrefixIssuer around
	Page         pageWords
}

var productTexts = inBoth(func(l locale.Lang) productText {
	var t productText
	_ = locale.Fill(l, "product", &t) // t is a struct
	t.Page = pageWordsIn[l]
	t.PrefixIssuer = aroundOf(l, "product.prefix_issuer", "{issuer}")
	return t
})
