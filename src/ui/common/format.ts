/**
 * Dates and numbers in the user's language (Dynamics' `userlcid`) and the browser's time zone.
 * Pure functions: the locale is passed in, read once by the host.
 */

// LCIDs Dynamics 365 ships languages for, mapped to BCP 47 tags for Intl.
const lcidTags: Readonly<Record<number, string>> = {
  1025: "ar-SA",
  1026: "bg-BG",
  1027: "ca-ES",
  1028: "zh-TW",
  1029: "cs-CZ",
  1030: "da-DK",
  1031: "de-DE",
  1032: "el-GR",
  1033: "en-US",
  1035: "fi-FI",
  1036: "fr-FR",
  1037: "he-IL",
  1038: "hu-HU",
  1040: "it-IT",
  1041: "ja-JP",
  1042: "ko-KR",
  1043: "nl-NL",
  1044: "nb-NO",
  1045: "pl-PL",
  1046: "pt-BR",
  1048: "ro-RO",
  1049: "ru-RU",
  1050: "hr-HR",
  1051: "sk-SK",
  1053: "sv-SE",
  1054: "th-TH",
  1055: "tr-TR",
  1057: "id-ID",
  1058: "uk-UA",
  1060: "sl-SI",
  1061: "et-EE",
  1062: "lv-LV",
  1063: "lt-LT",
  1066: "vi-VN",
  1069: "eu-ES",
  1081: "hi-IN",
  1086: "ms-MY",
  1087: "kk-KZ",
  1110: "gl-ES",
  2052: "zh-CN",
  2057: "en-GB",
  2070: "pt-PT",
  2074: "sr-Latn-RS",
  3076: "zh-HK",
  3082: "es-ES",
  3084: "fr-CA",
  2055: "de-CH",
  3081: "en-AU",
  4105: "en-CA",
};

/** The BCP 47 language tag for a Dynamics language code (LCID); `en-US` when unknown. */
export function localeFromLcid(lcid: number | string | null | undefined): string {
  const n = typeof lcid === "string" ? Number.parseInt(lcid, 10) : lcid;
  return (n !== null && n !== undefined && lcidTags[n]) || "en-US";
}

/** How a panel formats: the user's language and, when known, time zone. */
export interface LocaleInfo {
  readonly locale: string;
  /** IANA zone; undefined means the browser's own. */
  readonly timeZone?: string;
}

export function formatDate(date: Date, info: LocaleInfo): string {
  return new Intl.DateTimeFormat(info.locale, { dateStyle: "medium", timeZone: info.timeZone }).format(date);
}

/** A long date, as expiry is shown and written into messages ("22 December 2026"). */
export function formatLongDate(date: Date, info: LocaleInfo): string {
  return new Intl.DateTimeFormat(info.locale, { dateStyle: "long", timeZone: info.timeZone }).format(date);
}

export function formatDateTime(date: Date, info: LocaleInfo): string {
  return new Intl.DateTimeFormat(info.locale, { dateStyle: "medium", timeStyle: "short", timeZone: info.timeZone }).format(date);
}

export function formatNumber(value: number, info: LocaleInfo): string {
  return new Intl.NumberFormat(info.locale).format(value);
}

const byteUnits = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** A file size the way Explorer and SharePoint show it (1024-based, "1.4 GB"), in the user's locale. */
export function formatBytes(bytes: number, info: LocaleInfo): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return new Intl.NumberFormat(info.locale, {
    style: "unit",
    unit: byteUnits[unit],
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: digits,
  }).format(value);
}
