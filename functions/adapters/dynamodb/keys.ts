/**
 * Every key of the single table, in one place. Access patterns:
 *   application by id ........ GetItem  pk=APP#<id> sk=A
 *   tasks + events of an app . Query    pk=APP#<id> sk begins_with T# / E#
 *   my applications .......... Query    GSI2 gsi2pk=USER#<sub> (newest first)
 *   agency queue ............. Query    GSI1 gsi1pk=Q#<agency>[#<township>]#<status> by due time
 *   applications by status ... Query    GSI1 gsi1pk=SVC#<service>#<status>
 *   due timers ............... Query    GSI3 duePk=DUE dueSk <= <now>
 *   idempotency key .......... GetItem  pk=IDEM#<sub>#<key> sk=I (TTL)
 *   a parent's drafts ........ Query    pk=USER#<sub> sk begins_with DRAFT# (TTL; one item per
 *                              draft sk=DRAFT#<service>#<id>, payload field-encrypted)
 *   a parent's draft slots ... Query    pk=USER#<sub> sk begins_with SLOT#DRAFT# (one per live
 *                              draft, at most maxDrafts, put in the draft's create transaction)
 *   delivery record .......... GetItem  pk=APP#<id> sk=N#<eventId> (e-mail), N#<eventId>#sms (SMS);
 *                              SMS day budget: pk=RATE#sms-day#all sk=W#<China day> (TTL); while unfinished (sending,
 *                              retrying) GSI3 duePk=DUE#MAIL dueSk=<lease end or retry time>
 *   dead letters ............. Query    pk=DLQ#<consumer>
 *   rate-limit window ........ UpdateItem pk=RATE#<scope>#<subject> sk=W#<window> (TTL)
 *   one-time code ............ PutItem/UpdateItem pk=PCODE#<appId> (progress lookup),
 *                              PCODE#<appId>#LINK#<account hash> (guardian link),
 *                              PCODE#AGENT#<agent hash>#<number hash> (agent's authorisation);
 *                              sk=C (keyed hash of the code, attempts, TTL)
 *   capacity pool (intake) ... GetItem/BatchGet pk=ORG#<org> sk=INTAKE#<pool>; conditional
 *                              UpdateItem (taken < capacity) inside the application's transaction
 *   intakes of a term ........ Query    GSI1 gsi1pk=INTAKES#<service>#<term>
 *   nursery (organisation) ... GetItem  pk=ORG#<id> sk=A; by type Query GSI1 gsi1pk=ORGS#<type>
 *   waitlist of a pool ....... Query    GSI1 gsi1pk=WAIT#<org>#<pool> by gsi1sk=<rank>#<appId>
 *                              (position: Select COUNT with gsi1sk < mine)
 *   waitlist entry of an app . pk=APP#<id> sk=W#<org>#<pool>
 *   pools with freed places .. Query    GSI3 duePk=DUE#POOL dueSk <= <now> (sparse)
 *   one holder per ID number . pk=UNIQUE#<service>#<blind index> sk=P#<path> (put if absent)
 *   allocation round ......... GetItem  pk=ROUND#<service>#<id> sk=R; due: GSI3 duePk=DUE#ROUND
 *   reference data (admin) ... Query    pk=REF#<kind>: sk=<id>#HEAD (version), <id>#H#<version>
 *                              (append-only audited changes with an effective date), ~SEEDED
 *   stats generation ......... GetItem  pk=STATS#CONFIG sk=S (active / building generation)
 *   daily stats cells ........ Query    pk=STATS#g<gen>#<service>#<yyyy> (all townships,
 *                              sk=<day>#<step>#<agency>) or pk=…#<yyyy>#T (per township,
 *                              sk=<day>#<township>#<step>#<agency>); a date range is one Query
 *                              per calendar year: sk BETWEEN <from># AND <to>#~
 *   stats event marker ....... Put (in the stats transaction) pk=STATSMARK#g<gen>#<eventId> sk=M (TTL)
 *   retention progress ....... GetItem  pk=RETENTION#<service> sk=S#<closed status> (the last
 *                              closing sort key whose documents were purged; closed cases are
 *                              read from GSI1 SVC#<service>#<status> by gsi1sk=<updatedAt>#<id>)
 *   linked guardian .......... pk=APP#<id> sk=GUARDIAN#<sub>, on GSI2 gsi2pk=USER#<sub> (their
 *                              "my applications" beside their own)
 *   rating of a case (好差评) . GetItem  pk=APP#<id> sk=RATING (put if absent); a year's: Query
 *                              GSI1 gsi1pk=RATINGS#<yyyy> by gsi1sk=<ratedAt>#<id>
 *   follow-up of a 差评 ....... GetItem  pk=APP#<id> sk=FOLLOWUP; by status, soonest due first:
 *                              Query GSI1 gsi1pk=FOLLOWUPS#<status> by gsi1sk=<due>#<id>
 *   case documents ........... Query    pk=APP#<id> sk begins_with DOC# (records of any module's
 *                              documents, core/case-documents.ts; files at <prefix>/<id>/<documentId>);
 *                              held count pk=APP#<id> sk=COUNT#DOC (held < max, in each create)
 *   SLA digest of a day ...... Query    pk=DIGEST#<China day> sk=<agency> (one per agency and day:
 *                              sending with a lease, then sent / empty / no-inbox; TTL 40 days)
 *   (service modules keep their own keys beside their stores, e.g. functions/services/<id>/keys.ts)
 */
import type { CodeFor } from '#core/ports';

export const keys = {
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'A' }),
  caseDocument: (appId: string, documentId: string) => ({ pk: `APP#${appId}`, sk: `DOC#${documentId}` }),
  caseDocumentPrefix: 'DOC#',
  caseDocumentCount: (appId: string) => ({ pk: `APP#${appId}`, sk: 'COUNT#DOC' }),
  task: (appId: string, step: string) => ({ pk: `APP#${appId}`, sk: `T#${step}` }),
  taskPrefix: 'T#',
  event: (appId: string, at: string, version: number, seq: number) => ({
    pk: `APP#${appId}`,
    sk: `E#${at}#${String(version).padStart(6, '0')}#${String(seq).padStart(6, '0')}`,
  }),
  eventPrefix: 'E#',
  appPk: (appId: string) => `APP#${appId}`,
  appStatusIndex: (service: string, status: string, updatedAt: string, id: string) => ({
    gsi1pk: `SVC#${service}#${status}`,
    gsi1sk: `${updatedAt}#${id}`,
  }),
  ownerIndex: (sub: string, at: string, id: string) => ({ gsi2pk: `USER#${sub}`, gsi2sk: `${at}#${id}` }),
  ownerPk: (sub: string) => `USER#${sub}`,
  draft: (sub: string, service: string, id: string) => ({ pk: `USER#${sub}`, sk: `DRAFT#${service}#${id}` }),
  draftPrefix: 'DRAFT#',
  draftSlot: (sub: string, n: number) => ({
    pk: `USER#${sub}`,
    sk: `SLOT#DRAFT#${String(n).padStart(3, '0')}`,
  }),
  draftSlotPrefix: 'SLOT#DRAFT#',
  queuePk: (agency: string, township: string | undefined, status: string) =>
    township ? `Q#${agency}#${township}#${status}` : `Q#${agency}#${status}`,
  queueIndex: (
    agency: string,
    township: string | undefined,
    status: string,
    sortAt: string,
    appId: string,
  ) => ({
    gsi1pk: keys.queuePk(agency, township, status),
    gsi1sk: `${sortAt}#${appId}`,
  }),
  duePk: 'DUE',
  dueIndex: (at: string, appId: string, step: string) => ({ duePk: 'DUE', dueSk: `${at}#${appId}#${step}` }),
  idempotency: (scopedKey: string) => ({ pk: `IDEM#${scopedKey}`, sk: 'I' }),
  /** e-mail keeps the key it always had; another channel's record sits beside it */
  delivery: (appId: string, eventId: string, channel: string = 'email') => ({
    pk: `APP#${appId}`,
    sk: channel === 'email' ? `N#${eventId}` : `N#${eventId}#${channel}`,
  }),
  deadLetter: (consumer: string, id: string) => ({ pk: `DLQ#${consumer}`, sk: id }),
  deadLetterPk: (consumer: string) => `DLQ#${consumer}`,
  calendarYear: (year: number) => ({ pk: 'CAL', sk: `Y#${year}` }),
  calendarPk: 'CAL',
  oneTimeCode: (c: CodeFor) => ({
    pk:
      c.purpose === 'progress'
        ? `PCODE#${c.appId}`
        : c.purpose === 'link'
          ? `PCODE#${c.appId}#LINK#${c.account}`
          : `PCODE#AGENT#${c.agent}#${c.number}`,
    sk: 'C',
  }),
  digest: (day: string, agency: string) => ({ pk: `DIGEST#${day}`, sk: agency }),
  digestPk: (day: string) => `DIGEST#${day}`,
  rating: (appId: string) => ({ pk: `APP#${appId}`, sk: 'RATING' }),
  /** a guardian who linked the case; on the account's index (GSI2 USER#<sub>) beside its own */
  guardianLink: (appId: string, sub: string) => ({ pk: `APP#${appId}`, sk: `GUARDIAN#${sub}` }),
  ratingIndex: (year: string, ratedAt: string, appId: string) => ({
    gsi1pk: `RATINGS#${year}`,
    gsi1sk: `${ratedAt}#${appId}`,
  }),
  followUp: (appId: string) => ({ pk: `APP#${appId}`, sk: 'FOLLOWUP' }),
  followUpIndex: (status: string, dueAt: string, appId: string) => ({
    gsi1pk: `FOLLOWUPS#${status}`,
    gsi1sk: `${dueAt}#${appId}`,
  }),
  referencePk: (kind: string) => `REF#${kind}`,
  referenceHead: (kind: string, id: string) => ({ pk: `REF#${kind}`, sk: `${id}#HEAD` }),
  referenceChange: (kind: string, id: string, version: string) => ({
    pk: `REF#${kind}`,
    sk: `${id}#H#${version}`,
  }),
  /** sorts after every entry id */
  referenceSeedSk: '~SEEDED',
  rateWindow: (scope: string, subject: string, window: number) => ({
    pk: `RATE#${scope}#${subject}`,
    sk: `W#${window}`,
  }),
  org: (id: string) => ({ pk: `ORG#${id}`, sk: 'A' }),
  orgIndex: (type: string, township: string, id: string) => ({
    gsi1pk: `ORGS#${type}`,
    gsi1sk: `${township}#${id}`,
  }),
  orgsPk: (type: string) => `ORGS#${type}`,
  intake: (org: string, pool: string) => ({ pk: `ORG#${org}`, sk: `INTAKE#${pool}` }),
  intakeIndex: (service: string, term: string, org: string, pool: string) => ({
    gsi1pk: `INTAKES#${service}#${term}`,
    gsi1sk: `${org}#${pool}`,
  }),
  intakesPk: (service: string, term: string) => `INTAKES#${service}#${term}`,
  waitEntry: (appId: string, org: string, pool: string) => ({ pk: `APP#${appId}`, sk: `W#${org}#${pool}` }),
  waitIndex: (org: string, pool: string, rank: string, appId: string) => ({
    gsi1pk: `WAIT#${org}#${pool}`,
    gsi1sk: `${rank}#${appId}`,
  }),
  waitPk: (org: string, pool: string) => `WAIT#${org}#${pool}`,
  poolDuePk: 'DUE#POOL',
  poolDue: (at: string, org: string, pool: string) => ({ duePk: 'DUE#POOL', dueSk: `${at}#${org}#${pool}` }),
  unique: (service: string, path: string, blindIndex: string) => ({
    pk: `UNIQUE#${service}#${blindIndex}`,
    sk: `P#${path}`,
  }),
  round: (service: string, id: string) => ({ pk: `ROUND#${service}#${id}`, sk: 'R' }),
  deliveryDuePk: 'DUE#MAIL',
  deliveryDue: (at: string, appId: string, eventId: string, channel: string = 'email') => ({
    duePk: 'DUE#MAIL',
    dueSk: `${at}#${appId}#${eventId}${channel === 'email' ? '' : `#${channel}`}`,
  }),
  roundDuePk: 'DUE#ROUND',
  roundDue: (deadline: string, service: string, id: string) => ({
    duePk: 'DUE#ROUND',
    dueSk: `${deadline}#${service}#${id}`,
  }),
  statsConfig: { pk: 'STATS#CONFIG', sk: 'S' },
  statsPk: (gen: number, service: string, year: string, perTownship: boolean, months = false) =>
    `STATS#g${gen}#${service}#${year}${months ? '#M' : ''}${perTownship ? '#T' : ''}`,
  statsCell: (
    gen: number,
    k: { service: string; day: string; step: string; agency: string; township: string },
    allTownships: boolean,
  ) => ({
    // month rollup cells (day = YYYY-MM) live in their own partition per year: …#<yyyy>#M[#T]
    pk: keys.statsPk(gen, k.service, k.day.slice(0, 4), !allTownships, k.day.length === 7),
    sk: allTownships ? `${k.day}#${k.step}#${k.agency}` : `${k.day}#${k.township}#${k.step}#${k.agency}`,
  }),
  statsDayRange: (from: string, to: string) => ({ low: `${from}#`, high: `${to}#~` }),
  /** months YYYY-MM, inclusive, in a month partition */
  statsMonthRange: (from: string, to: string) => ({ low: `${from}#`, high: `${to}#~` }),
  statsMarker: (gen: number, eventId: string) => ({ pk: `STATSMARK#g${gen}#${eventId}`, sk: 'M' }),
  retentionMark: (service: string, status: string) => ({ pk: `RETENTION#${service}`, sk: `S#${status}` }),
} as const;
