/** 残疾儿童康复救助 Rehab aid for disabled children: the module (see docs/architecture.md). */
import { t } from '#core/i18n';
import type { ServiceModule } from '#core/module';
import { rehabAid } from './definition.ts';

export const rehabAidModule: ServiceModule = {
  definition: rehabAid,
  /** the plan's indicators it feeds: indicators.ts (issue 17) */
  indicators: true,
  http: {
    /** Applications with ID numbers, documents (presigned PUT/GET), claims, settlement. */
    access: { table: 'readWrite', fieldKey: 'decrypt', documents: 'readPut' },
  },
  /** its mail lines: labelled outputs, amounts in yuan, the plan and each claim (mail.ts) */
  mail: true,
  mailEvents: ['institution-chosen', 'claim-approved', 'claim-rejected'],
  jobs: [
    {
      /**
       * Document retention, daily at 02:30 China time: deletes the files of cases closed more
       * than documentRetentionDays ago (records stay, marked purged). No ID numbers are read.
       */
      name: 'retention',
      entry: 'retention-job',
      schedule: 'cron(30 18 * * ? *)',
      localIntervalMs: 6 * 3600_000,
      localIntervalEnv: 'RETENTION_INTERVAL_MS',
      access: { table: 'readWrite', documents: 'readDelete' },
      sizing: { memorySize: 256, timeoutSeconds: 300 },
      environment: (config) => ({ DOCUMENT_RETENTION_DAYS: String(config.documentRetentionDays) }),
    },
  ],
  agencies: [
    {
      id: 'dpf-township',
      name: t(
        '乡镇（街道）残联（康复救助初审）',
        'Township Disabled Persons’ Federation (rehab aid first review)',
      ),
      level: 'township',
    },
    {
      id: 'dpf-city',
      name: t(
        '市残联（康复救助审核、审批与结算）',
        'City Disabled Persons’ Federation (rehab aid review, approval, settlement)',
      ),
      level: 'city',
    },
    {
      id: 'rehab-institution',
      name: t(
        '定点康复机构（评估与康复服务）',
        'Designated rehabilitation institution (assessment and services)',
      ),
      level: 'city',
    },
  ],
  local: {
    demoUsers: [
      {
        sub: 'cw-dpf-liushi',
        role: 'caseworker',
        agency: 'dpf-township',
        township: 'liushi',
        name: '柳市镇残联 林干事',
      },
      {
        sub: 'cw-dpf-lecheng',
        role: 'caseworker',
        agency: 'dpf-township',
        township: 'lecheng',
        name: '乐成街道残联 黄干事',
      },
      { sub: 'cw-dpf-city', role: 'caseworker', agency: 'dpf-city', name: '市残联康复部 徐科长' },
      {
        sub: 'cw-rehab-center',
        role: 'caseworker',
        agency: 'rehab-institution:yq-rehab-center',
        name: '市残疾人康复中心 叶治疗师',
      },
      {
        sub: 'cw-rehab-liushi',
        role: 'caseworker',
        agency: 'rehab-institution:liushi-xingyu',
        name: '星语儿童康复中心 潘老师',
      },
    ],
  },
};
