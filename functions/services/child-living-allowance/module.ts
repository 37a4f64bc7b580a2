/** 事实无人抚养儿童基本生活保障 Basic living allowance for children without caregivers: the module. */
import { t } from '#core/i18n';
import type { ServiceModule } from '#core/module';
import { childLivingAllowance } from './definition.ts';

export const childLivingAllowanceModule: ServiceModule = {
  definition: childLivingAllowance,
  http: {
    /** standards, objections, confirmation, allowances, payment batches, documents (presigned PUT/GET) */
    access: { table: 'readWrite', fieldKey: 'decrypt', documents: 'readPut' },
  },
  jobs: [
    {
      /**
       * Dynamic management, daily at 01:00 China time: opens annual reviews on the anniversary,
       * flags overdue ones, sends the notice a month before the 18th birthday and ends the
       * allowance on it. Shows no ID numbers, but reads cases through the kernel's repository,
       * which decrypts the contact number: the field key (decrypt) is needed.
       */
      name: 'allowance-lifecycle',
      entry: 'lifecycle-job',
      schedule: 'cron(0 17 * * ? *)',
      localIntervalMs: 3600_000,
      localIntervalEnv: 'ALLOWANCE_LIFECYCLE_INTERVAL_MS',
      access: { table: 'readWrite', fieldKey: 'decrypt' },
      sizing: { memorySize: 256, timeoutSeconds: 300 },
    },
  ],
  mail: true,
  /** allowance coverage of the plan's indicators (indicators.ts) */
  indicators: true,
  mailEvents: [
    'allowance-paid',
    'annual-review-opened',
    'annual-review-completed',
    'termination-notice',
    'allowance-terminated',
  ],
  agencies: [
    {
      id: 'ca-township',
      name: t(
        '乡镇（街道）社会事务办（事实无人抚养儿童审核）',
        'Township civil-affairs office (children without caregivers: review)',
      ),
      level: 'township',
    },
    {
      id: 'ca-city',
      name: t(
        '市民政局（事实无人抚养儿童确认与发放）',
        'City Civil Affairs Bureau (children without caregivers: confirmation, payment)',
      ),
      level: 'city',
    },
  ],
  local: {
    demoUsers: [
      {
        sub: 'cw-ca-liushi',
        role: 'caseworker',
        agency: 'ca-township',
        township: 'liushi',
        name: '柳市镇社会事务办 陈干事',
      },
      {
        sub: 'cw-ca-lecheng',
        role: 'caseworker',
        agency: 'ca-township',
        township: 'lecheng',
        name: '乐成街道社会事务办 周干事',
      },
      { sub: 'cw-ca-city', role: 'caseworker', agency: 'ca-city', name: '市民政局儿童福利科 王科长' },
    ],
  },
};
