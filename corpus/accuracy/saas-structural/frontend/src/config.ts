// Public keys are meant to ship to browsers; only the server-side ones are secrets.
export const config = {
  mapboxPublicToken: "pk.eyJ1IjoiYWNtZSIsImEiOiJjbHFwdWJsaWMxMjM0NTY3ODkwIn0.M_P3E8RWQkheP6STGxVGQF",
  stripePublishableKey: "pk_live_n04hLpkJzSJT9O7VHjD1gROHNcjzVCRVeYl7UcrdPr1Oa8WEkBYhYqYxuTw61jdzLGj0kQAD3vpKHRTErrHVk3Bd5MqRYMMheOl",
  algoliaAppId: "DP7R282BP8",
  algoliaSearchKey: "71c52749bf138bc6a190512504f580fc",
  sentryDsn: "https://4d6677bd7353e701775a179aed952b4b@o826929.ingest.sentry.io/9708970",
  logo: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  theme: { primary: "#1f2a44", accent: "#ff8800" },
};
