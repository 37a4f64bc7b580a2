/**
 * Seed reference data for 乐清市 (Yueqing, Zhejiang; region code 330382): townships with
 * approximate resident population (for per-1,000 indicators), hospitals with maternity
 * services (助产机构), pickup points and the agencies that decide steps. Figures are
 * approximations for a working demo; admins maintain the real lists.
 */

import { type I18nText, t } from '../i18n.ts';
import { liveHospital, liveTownship } from './live.ts';

export interface Township {
  id: string;
  name: I18nText;
  kind: '街道' | '镇' | '乡';
  population: number;
}

const tw = (id: string, zh: string, en: string, kind: Township['kind'], population: number): Township => ({
  id,
  name: t(zh, en),
  kind,
  population,
});

export const townships: Township[] = [
  tw('lecheng', '乐成街道', 'Lecheng Subdistrict', '街道', 210000),
  tw('chengdong', '城东街道', 'Chengdong Subdistrict', '街道', 98000),
  tw('chengnan', '城南街道', 'Chengnan Subdistrict', '街道', 105000),
  tw('yanpen', '盐盆街道', 'Yanpen Subdistrict', '街道', 42000),
  tw('wengyang', '翁垟街道', 'Wengyang Subdistrict', '街道', 96000),
  tw('baishi', '白石街道', 'Baishi Subdistrict', '街道', 62000),
  tw('shifan', '石帆街道', 'Shifan Subdistrict', '街道', 58000),
  tw('tiancheng', '天成街道', 'Tiancheng Subdistrict', '街道', 54000),
  tw('liushi', '柳市镇', 'Liushi Town', '镇', 260000),
  tw('beibaixiang', '北白象镇', 'Beibaixiang Town', '镇', 128000),
  tw('hongqiao', '虹桥镇', 'Hongqiao Town', '镇', 150000),
  tw('danxi', '淡溪镇', 'Danxi Town', '镇', 36000),
  tw('qingjiang', '清江镇', 'Qingjiang Town', '镇', 48000),
  tw('furong', '芙蓉镇', 'Furong Town', '镇', 40000),
  tw('dajing', '大荆镇', 'Dajing Town', '镇', 72000),
  tw('yandang', '雁荡镇', 'Yandang Town', '镇', 46000),
  tw('xianxi', '仙溪镇', 'Xianxi Town', '镇', 21000),
  tw('huwu', '湖雾镇', 'Huwu Town', '镇', 20000),
  tw('nantang', '南塘镇', 'Nantang Town', '镇', 25000),
  tw('puqi', '蒲岐镇', 'Puqi Town', '镇', 33000),
  tw('nanyue', '南岳镇', 'Nanyue Town', '镇', 28000),
  tw('panshi', '磐石镇', 'Panshi Town', '镇', 45000),
  tw('lingdi', '岭底乡', 'Lingdi Township', '乡', 9000),
  tw('zhiren', '智仁乡', 'Zhiren Township', '乡', 8000),
  tw('longxi', '龙西乡', 'Longxi Township', '乡', 7000),
];

export interface Hospital {
  id: string;
  name: I18nText;
  township: string;
}

export const hospitals: Hospital[] = [
  { id: 'yq-people', name: t('乐清市人民医院', "Yueqing People's Hospital"), township: 'lecheng' },
  {
    id: 'yq-mch',
    name: t('乐清市妇幼保健院', 'Yueqing Maternal and Child Health Hospital'),
    township: 'chengdong',
  },
  {
    id: 'yq-second',
    name: t('乐清市第二人民医院', "Yueqing Second People's Hospital"),
    township: 'hongqiao',
  },
  { id: 'yq-third', name: t('乐清市第三人民医院', "Yueqing Third People's Hospital"), township: 'dajing' },
  {
    id: 'yq-tcm',
    name: t('乐清市中医院', 'Yueqing Hospital of Traditional Chinese Medicine'),
    township: 'chengnan',
  },
  { id: 'liushi-hosp', name: t('乐清市柳市医院', 'Liushi Hospital of Yueqing'), township: 'liushi' },
];

export interface Agency {
  id: string;
  name: I18nText;
  /** township-level agencies see only their township's cases */
  level: 'city' | 'township';
}

/** The city's agencies; service modules add their own (see ServiceModule.agencies). */
export const cityAgencies: Agency[] = [
  {
    id: 'health',
    name: t('市卫生健康局（出生医学证明）', 'Health Bureau (birth medical certificate)'),
    level: 'city',
  },
  {
    id: 'police',
    name: t('公安派出所（户口登记）', 'Police station (household registration)'),
    level: 'township',
  },
  {
    id: 'medical-insurance',
    name: t('市医疗保障局（城乡居民医保）', 'Medical Insurance Bureau'),
    level: 'city',
  },
  {
    id: 'hrss',
    name: t(
      '市人力资源和社会保障局（社保卡）',
      'Human Resources and Social Security Bureau (social security card)',
    ),
    level: 'city',
  },
  {
    id: 'cdc',
    name: t('市疾病预防控制中心（预防接种证）', 'Center for Disease Control (vaccination certificate)'),
    level: 'city',
  },
  {
    id: 'service-center',
    name: t('市民中心（证件寄递）', 'Citizen service centre (document delivery)'),
    level: 'city',
  },
];

export interface PickupPoint {
  id: string;
  name: I18nText;
  township: string;
}

export const pickupPoints: PickupPoint[] = [
  {
    id: 'citizen-center',
    name: t('乐清市民中心一楼综合窗口', 'Yueqing Citizen Centre, ground-floor window'),
    township: 'chengnan',
  },
  { id: 'liushi-center', name: t('柳市镇便民服务中心', 'Liushi Town service centre'), township: 'liushi' },
  {
    id: 'hongqiao-center',
    name: t('虹桥镇便民服务中心', 'Hongqiao Town service centre'),
    township: 'hongqiao',
  },
  { id: 'dajing-center', name: t('大荆镇便民服务中心', 'Dajing Town service centre'), township: 'dajing' },
];

export const referenceData = { townships, hospitals, agencies: cityAgencies, pickupPoints } as const;
export type ReferenceKind = keyof typeof referenceData;

export const townshipIds = townships.map((x) => x.id);
/** The seed's townships and those admins added (reference/live.ts). */
export const isTownship = (id: string) => townships.some((x) => x.id === id) || liveTownship(id);
export const isHospital = (id: string) => hospitals.some((x) => x.id === id) || liveHospital(id);
