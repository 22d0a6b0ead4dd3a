import { DeviceIdText, OptionalText } from './bytepower-fields.decorators';

/** The seed's optional device and attribution fields; all are stored with the user. */
export class DeviceFieldsDto {
  @OptionalText('test_segment_id') segment_id?: string;
  @OptionalText('custom_config_id_123') custom_config_id?: string;
  /** Binds the signed-up user to the device, as `device.id` of a device login (the seed: the same value). */
  @DeviceIdText(false, 'login_device_id') login_device_id?: string;
  @OptionalText('test_simple_cuid') simple_cuid?: string;
  @OptionalText('test_custom_uid_v2') cuid_v2?: string;
  @OptionalText('test_imei') imei?: string;
  @OptionalText('test_oaid') oaid?: string;
  @OptionalText('test_custom_uid') cuid?: string;
  @OptionalText('ios') platform?: string;
  @OptionalText('test_idfa') idfa?: string;
  @OptionalText('test_idfv') idfv?: string;
  @OptionalText('test_gaid') gaid?: string;
  @OptionalText('appsflyer_id') appsflyer_id?: string;
  @OptionalText('app_instance_id') app_instance_id?: string;
  @OptionalText('uuid') uuid?: string;
}

export const DEVICE_FIELDS = [
  'segment_id',
  'custom_config_id',
  'login_device_id',
  'simple_cuid',
  'cuid_v2',
  'imei',
  'oaid',
  'cuid',
  'platform',
  'idfa',
  'idfv',
  'gaid',
  'appsflyer_id',
  'app_instance_id',
  'uuid',
] as const satisfies readonly (keyof DeviceFieldsDto)[];
