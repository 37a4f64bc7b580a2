/**
 * Every key of the single table, in one place. Access patterns:
 *   application by id ........ GetItem  pk=APP#<id> sk=A
 *   tasks + events of an app . Query    pk=APP#<id> sk begins_with T# / E#
 *   my applications .......... Query    GSI2 gsi2pk=USER#<sub> (newest first)
 *   agency queue ............. Query    GSI1 gsi1pk=Q#<agency>[#<township>]#<status> by due time
 *   applications by status ... Query    GSI1 gsi1pk=SVC#<service>#<status>
 *   due timers ............... Query    GSI3 duePk=DUE dueSk <= <now>
 *   idempotency key .......... GetItem  pk=IDEM#<sub>#<key> sk=I (TTL)
 *   e-mail delivery record ... GetItem  pk=APP#<id> sk=N#<eventId>
 *   dead letters ............. Query    pk=DLQ#<consumer>
 *   rate-limit window ........ UpdateItem pk=RATE#<scope>#<subject> sk=W#<window> (TTL)
 */
export const keys = {
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'A' }),
  task: (appId: string, step: string) => ({ pk: `APP#${appId}`, sk: `T#${step}` }),
  taskPrefix: 'T#',
  event: (appId: string, at: string, version: number, seq: number) => ({
    pk: `APP#${appId}`,
    sk: `E#${at}#${String(version).padStart(6, '0')}#${String(seq).padStart(3, '0')}`,
  }),
  eventPrefix: 'E#',
  appPk: (appId: string) => `APP#${appId}`,
  appStatusIndex: (service: string, status: string, updatedAt: string, id: string) => ({
    gsi1pk: `SVC#${service}#${status}`,
    gsi1sk: `${updatedAt}#${id}`,
  }),
  ownerIndex: (sub: string, at: string, id: string) => ({ gsi2pk: `USER#${sub}`, gsi2sk: `${at}#${id}` }),
  ownerPk: (sub: string) => `USER#${sub}`,
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
  delivery: (appId: string, eventId: string) => ({ pk: `APP#${appId}`, sk: `N#${eventId}` }),
  deadLetter: (consumer: string, id: string) => ({ pk: `DLQ#${consumer}`, sk: id }),
  deadLetterPk: (consumer: string) => `DLQ#${consumer}`,
  calendarYear: (year: number) => ({ pk: 'CAL', sk: `Y#${year}` }),
  calendarPk: 'CAL',
  rateWindow: (scope: string, subject: string, window: number) => ({
    pk: `RATE#${scope}#${subject}`,
    sk: `W#${window}`,
  }),
} as const;
