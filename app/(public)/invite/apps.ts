// XMPP apps suggested on invite pages, by platform. Links open the store pages; nothing is loaded
// from them.
export const XMPP_APPS = [
  {
    platform: "Android",
    apps: [
      {
        name: "Conversations",
        href: "https://play.google.com/store/apps/details?id=eu.siacs.conversations",
        alt: { label: "F-Droid", href: "https://f-droid.org/packages/eu.siacs.conversations/" },
      },
      {
        name: "Blabber",
        href: "https://play.google.com/store/apps/details?id=de.pixart.messenger",
        alt: { label: "F-Droid", href: "https://f-droid.org/packages/de.pixart.messenger/" },
      },
    ],
  },
  {
    platform: "iPhone and iPad",
    apps: [
      { name: "Monal", href: "https://apps.apple.com/app/monal-free-xmpp-chat/id317711500" },
      { name: "Siskin IM", href: "https://apps.apple.com/app/siskin-im/id1153516838" },
    ],
  },
  {
    platform: "Desktop",
    apps: [
      { name: "Gajim", href: "https://gajim.org/download/" },
      { name: "Dino", href: "https://dino.im/#download" },
    ],
  },
] as const;
