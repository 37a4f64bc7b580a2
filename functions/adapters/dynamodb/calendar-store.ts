/** Admin-maintained holiday years (pk=CAL), layered over the chinese-days package data. */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { YearCalendar } from '#core/calendar';
import { keys } from './keys.ts';

export class DynamoCalendarStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async load(): Promise<Record<number, YearCalendar>> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.calendarPk },
      }),
    );
    const out: Record<number, YearCalendar> = {};
    for (const item of res.Items ?? []) {
      out[Number(item.year)] = { holidays: item.holidays as string[], workdays: item.workdays as string[] };
    }
    return out;
  }

  async put(year: number, data: YearCalendar, by: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.calendarYear(year), type: 'calendar', year, ...data, updatedBy: by, updatedAt: at },
      }),
    );
  }
}
